using Toolkit.Benchmarks.Blob;

// Usage (README.md):
//   Toolkit.Benchmarks.Blob [--size-mib 1024] [--runs 5] [--dir /dev/shm/blob-bench] [--mux-window-kib 1024]
//       throughput: per run, the file copied each way raw, as a blob and through a multiplexed channel; medians.
//   Toolkit.Benchmarks.Blob latency [--size-mib 1024] [--runs 5] [--idle-ms 3000] [--dir …]
//       echo-64 lat on the blob services' call connection and a plain TCP ping-pong, idle and beside a blob upload and download.
// Both start the server as a child process of their own (mode "server <directory> <window> sampler|no-sampler").
// Mode "slow-upload <rpc://…/blobserver> <job>" is the client that tests/Toolkit.Blob.Tests kills mid-upload.
return args.Length > 0 && args[0] == "server" ? await ServerMode.RunAsync(args[1..])
    : args.Length > 0 && args[0] == "slow-upload" ? await SlowUploadMode.RunAsync(args[1..])
    : args.Length > 0 && args[0] == "latency" ? await LatencyMode.RunAsync(args[1..])
    : await ClientMode.RunAsync(args);
