// The namespaces most files of this project use, once (the files' own usings are what only they need).
global using System.Collections.Concurrent;
global using System.Globalization;
global using System.Text;
global using System.Text.Json.Nodes;
global using ChargeLink.Contracts;
global using ChargeLink.Domain.Groups;
global using ChargeLink.Domain.Topology;
global using ChargeLink.Gateway.Durable;
global using ChargeLink.Gateway.Ocpp;
global using ChargeLink.Gateway.StationRules;
global using ChargeLink.Gateway.Stations;
global using ChargeLink.ServiceDefaults;
