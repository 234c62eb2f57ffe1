using System.Globalization;

namespace Toolkit.Benchmarks.Echo;

/// <summary>
/// The echo-64 end-to-end benchmark (docs/performance.md#echo-64), one mode per process:
/// <c>server [--port N] [--watch-stdin]</c> listens on 127.0.0.1 and hosts the endpoint "echo";
/// <c>client --port N --inflight 1|64 [--warmup S] [--window S]</c> (with <c>SERVER_PID</c> in the environment)
/// measures it and ends with the RESULT line; <c>items --port N</c> measures item streams from the endpoint "items".
/// </summary>
internal static class Program
{
    private const string Usage =
        "usage: Toolkit.Benchmarks.Echo server [--port N] [--watch-stdin]\n" +
        "       SERVER_PID=<pid> Toolkit.Benchmarks.Echo client --port N --inflight 1|64 [--warmup 2] [--window 10]\n" +
        "       Toolkit.Benchmarks.Echo items --port N [--count 1000000] [--runs 5] [--window 1024]";

    private static async Task<int> Main(string[] args)
    {
        try
        {
            if (args.Length == 0)
            {
                throw new ArgumentException("missing mode");
            }

            Dictionary<string, string?> options = ParseOptions(args.AsSpan(1));
            switch (args[0])
            {
                case "server":
                    CheckKnown(options, "--port", "--watch-stdin");
                    return await EchoServer.RunAsync(GetInt(options, "--port", 0), options.ContainsKey("--watch-stdin"));
                case "client":
                    CheckKnown(options, "--port", "--inflight", "--warmup", "--window");
                    ClientSettings settings = new(
                        Port: GetInt(options, "--port", null),
                        InFlight: GetInt(options, "--inflight", null),
                        WarmupSeconds: GetDouble(options, "--warmup", 2),
                        WindowSeconds: GetDouble(options, "--window", 10),
                        ServerPid: GetServerPid());
                    return await EchoClient.RunAsync(settings);
                case "items":
                    CheckKnown(options, "--port", "--count", "--runs", "--window");
                    return await ItemStreamClient.RunAsync(
                        GetInt(options, "--port", null), GetInt(options, "--count", 1_000_000), GetInt(options, "--runs", 5), GetInt(options, "--window", new RpcServiceOptions().ItemStreamWindow));
                default:
                    throw new ArgumentException($"unknown mode '{args[0]}'");
            }
        }
        catch (ArgumentException exception)
        {
            await Console.Error.WriteLineAsync($"error: {exception.Message}\n{Usage}");
            return 2;
        }
    }

    private static Dictionary<string, string?> ParseOptions(ReadOnlySpan<string> args)
    {
        Dictionary<string, string?> options = new(StringComparer.Ordinal);
        for (int index = 0; index < args.Length; index++)
        {
            string name = args[index];
            if (!name.StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"unexpected argument '{name}'");
            }

            string? value = index + 1 < args.Length && !args[index + 1].StartsWith("--", StringComparison.Ordinal) ? args[++index] : null;
            options[name] = value;
        }

        return options;
    }

    private static void CheckKnown(Dictionary<string, string?> options, params string[] known)
    {
        foreach (string name in options.Keys)
        {
            if (Array.IndexOf(known, name) < 0)
            {
                throw new ArgumentException($"unknown option '{name}'");
            }
        }
    }

    private static int GetInt(Dictionary<string, string?> options, string name, int? fallback)
    {
        if (!options.TryGetValue(name, out string? text))
        {
            return fallback ?? throw new ArgumentException($"{name} is required");
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value)
            ? value
            : throw new ArgumentException($"{name} needs a non-negative integer, not '{text}'");
    }

    private static double GetDouble(Dictionary<string, string?> options, string name, double fallback)
    {
        if (!options.TryGetValue(name, out string? text))
        {
            return fallback;
        }

        return double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double value)
            ? value
            : throw new ArgumentException($"{name} needs a number of seconds, not '{text}'");
    }

    private static int GetServerPid()
    {
        string? text = Environment.GetEnvironmentVariable("SERVER_PID");
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int pid) && pid > 0
            ? pid
            : throw new ArgumentException($"SERVER_PID must hold the server's process id (it is '{text}')");
    }
}
