global using Toolkit.Rpc.Generators.Model;
