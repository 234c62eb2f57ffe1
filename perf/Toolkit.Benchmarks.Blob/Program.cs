using Toolkit.Benchmarks.Blob;

// Usage:
//   dotnet run -c Release --project perf/Toolkit.Benchmarks.Blob -- [--size-mib 1024] [--runs 5] [--dir /tmp/blob-bench]
// The runner starts the server as a child process of its own (mode "server") and measures, per run, a raw TCP copy of
// the file and the blob upload and download of the same file, then the server's peak memory above its idle level.
// Mode "slow-upload <rpc://…/blobserver> <job>" is the client that tests/Toolkit.Blob.Tests kills mid-upload.
return args.Length > 0 && args[0] == "server" ? await ServerMode.RunAsync(args[1..])
    : args.Length > 0 && args[0] == "slow-upload" ? await SlowUploadMode.RunAsync(args[1..])
    : await ClientMode.RunAsync(args);
