// The namespaces most files of this project use, once (the files' own usings are what only they need).
global using System.Collections.Immutable;
