global using Toolkit.Rpc;
