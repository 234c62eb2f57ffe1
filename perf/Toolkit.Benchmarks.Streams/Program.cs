using Toolkit.Benchmarks.Streams;

// Usage:
//   dotnet run -c Release --project perf/Toolkit.Benchmarks.Streams -- [--size-mib 1024] [--runs 5] [--window-kib 1024]
// The runner starts the server as a child process of its own (mode "server") and measures, per run, a raw socket copy
// of the bytes and the same bytes as a byte stream through a channel of the byte-stream link, both ways.
return args.Length > 0 && args[0] == "server" ? await ServerMode.RunAsync(args[1..]) : await ClientMode.RunAsync(args);
