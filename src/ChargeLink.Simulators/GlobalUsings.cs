// The namespaces most files of this project use, once (the files' own usings are what only they need).
global using System.Globalization;
global using System.Text;
global using System.Text.Encodings.Web;
global using System.Text.Json;
global using System.Text.Json.Nodes;
