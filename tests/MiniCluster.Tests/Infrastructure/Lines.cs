using System.Globalization;
using System.Text.RegularExpressions;
using Toolkit.Testing.Processes;

namespace MiniCluster.Tests.Infrastructure;

/// <summary>What the tests read in the roles' output lines.</summary>
public static partial class Lines
{
    public static readonly TimeSpan Startup = TimeSpan.FromSeconds(90);

    /// <summary>Waits for the master to lead; returns its epoch and the instant the line was read.</summary>
    public static async Task<(long Epoch, long At)> LeadingAsync(ChildProcess master, TimeSpan limit, int skip = 0)
    {
        (long at, string text) = await master.WaitForLineAsync(line => Leading().IsMatch(line), limit, "leadership", skip);
        return (long.Parse(Leading().Match(text).Groups[1].Value, CultureInfo.InvariantCulture), at);
    }

    public static Task RegisteredAsync(ChildProcess executor) =>
        executor.WaitForLineAsync(line => line.Contains("Registered with the resource manager", StringComparison.Ordinal), Startup, "registration");

    /// <summary>
    /// Waits until the executor follows the leader of <paramref name="epoch"/>; returns how many of its lines came
    /// before, so that a wait skipping them sees only what it did for that leader.
    /// </summary>
    public static async Task<int> FollowingAsync(ChildProcess executor, long epoch, TimeSpan limit, int skip = 0)
    {
        string found = $"Leader found: epoch {epoch.ToString(CultureInfo.InvariantCulture)} ";
        await executor.WaitForLineAsync(line => line.Contains(found, StringComparison.Ordinal), limit, $"following epoch {epoch}", skip);
        return executor.Lines.Select((line, index) => (line.Text, index)).Skip(skip).First(line => line.Text.Contains(found, StringComparison.Ordinal)).index + 1;
    }

    public static Task<(long At, string Text)> TaskStartedAsync(ChildProcess executor, TimeSpan limit, int skip = 0) =>
        executor.WaitForLineAsync(line => line.Contains("started in slot", StringComparison.Ordinal), limit, "a task started", skip);

    /// <summary>Waits for a task's input to be in hand: the program and its shard fetched through the executor's blob cache.</summary>
    public static Task<(long At, string Text)> TaskInputAsync(ChildProcess executor, TimeSpan limit, int skip = 0) =>
        executor.WaitForLineAsync(line => line.Contains("has its input from the blob cache", StringComparison.Ordinal), limit, "a task's input", skip);

    /// <summary>Waits for a progress line of the submitter with at least <paramref name="maps"/> maps done (and the job not finished).</summary>
    public static Task<(long At, string Text)> MapsDoneAsync(ChildProcess submitter, int maps, TimeSpan limit) =>
        submitter.WaitForLineAsync(
            line => Progress().Match(line) is { Success: true } match && int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) >= maps && line.Contains("state=Running", StringComparison.Ordinal),
            limit,
            $"{maps} maps done");

    public static Task<(long At, string Text)> VerdictAsync(ChildProcess submitter, TimeSpan limit) =>
        submitter.WaitForLineAsync("result ", limit);

    public static int Redeployed(string verdict) => int.Parse(RedeployedField().Match(verdict).Groups[1].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"Leading with epoch (\d+)")]
    private static partial Regex Leading();

    [GeneratedRegex(@"maps=(\d+)/")]
    private static partial Regex Progress();

    [GeneratedRegex(@"redeployed=(\d+)")]
    private static partial Regex RedeployedField();
}
