using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace Toolkit.Rpc.Observability.Tests;

/// <summary>
/// docs/observability.md lists every event that Toolkit's libraries log, each with its id, level and message, and the
/// ids keep to the ranges it gives each library and area. Found by reflection over the [LoggerMessage] methods.
/// </summary>
public sealed partial class EventCatalogTests
{
    /// <summary>The libraries, and the event ids each may use (docs/observability.md, "Event ids").</summary>
    private static readonly (Assembly Assembly, int First, int Last)[] Ranges =
    [
        (typeof(RpcService).Assembly, 1, 999),
        (typeof(Hosting.ToolkitRpcServiceCollectionExtensions).Assembly, 1000, 1099),
        (typeof(Heartbeat.HeartbeatOptions).Assembly, 4000, 4049),
        (typeof(Blob.BlobServerOptions).Assembly, 4050, 4099),
        (typeof(HighAvailability.IHighAvailabilityServices).Assembly, 5000, 5099),
        (typeof(HighAvailability.Etcd.EtcdHighAvailabilityOptions).Assembly, 5000, 5099),
    ];

    [Fact]
    public void Every_event_is_in_the_docs_with_its_level_and_message_and_in_its_library_s_range()
    {
        string[] lines = File.ReadAllLines(Path.Combine(RepositoryRoot(), "docs", "observability.md"));
        Dictionary<int, string> documented = [];
        foreach (string line in lines)
        {
            if (EventRow().Match(line) is { Success: true } row)
            {
                Assert.True(documented.TryAdd(int.Parse(row.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), line), $"event {row.Groups[1].Value} is listed twice");
            }
        }

        List<string> problems = [];
        HashSet<int> seen = [];
        foreach ((Assembly assembly, int first, int last) in Ranges)
        {
            foreach ((MethodInfo method, LoggerMessageAttribute attribute) in Events(assembly))
            {
                string name = $"{method.DeclaringType!.Name}.{method.Name} ({attribute.EventId})";
                if (attribute.EventId < first || attribute.EventId > last)
                {
                    problems.Add($"{name} in {assembly.GetName().Name} is outside its range {first}–{last}");
                }

                if (!seen.Add(attribute.EventId))
                {
                    problems.Add($"{name}: the id is used twice");
                }

                if (!documented.TryGetValue(attribute.EventId, out string? row))
                {
                    problems.Add($"{name} is not listed in docs/observability.md");
                }
                else if (!row.Contains($"| {attribute.Level} |", StringComparison.Ordinal) || !row.Contains(attribute.Message, StringComparison.Ordinal))
                {
                    problems.Add($"{name}: the docs' row does not give its level {attribute.Level} and message \"{attribute.Message}\"");
                }
            }
        }

        problems.AddRange(documented.Keys.Where(id => !seen.Contains(id)).Select(id => $"docs/observability.md lists event {id}, which no library logs"));
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.True(seen.Count >= 40, $"only {seen.Count} events found: is reflection finding the [LoggerMessage] methods?");
    }

    private static IEnumerable<(MethodInfo, LoggerMessageAttribute)> Events(Assembly assembly) =>
        from type in assembly.GetTypes()
        from method in type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)
        let attribute = method.GetCustomAttribute<LoggerMessageAttribute>()
        where attribute is not null
        select (method, attribute);

    private static string RepositoryRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Toolkit.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Toolkit.sln not found above " + AppContext.BaseDirectory);
    }

    // A row of an event table: "| 101 | Information | ...".
    [GeneratedRegex(@"^\| (\d+) \| (Trace|Debug|Information|Warning|Error|Critical) \|")]
    private static partial Regex EventRow();
}
