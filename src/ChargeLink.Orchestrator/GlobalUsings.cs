// The namespaces most files of this project use, once (the files' own usings are what only they need).
global using ChargeLink.Contracts;
global using ChargeLink.Domain.Groups;
global using ChargeLink.Domain.Topology;
global using ChargeLink.Orchestrator.Storing;
global using ChargeLink.ServiceDefaults;
