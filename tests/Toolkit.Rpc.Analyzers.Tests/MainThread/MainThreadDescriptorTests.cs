using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;

namespace Toolkit.Rpc.Analyzers.Tests.MainThread;

/// <summary>Every main-thread descriptor is a warning in the TK1000–TK1999 range, documented and tracked for release.</summary>
public sealed class MainThreadDescriptorTests
{
    public static TheoryData<string> Ids() => [.. AllIds()];

    [Theory]
    [MemberData(nameof(Ids))]
    public void The_descriptor_is_complete(string id)
    {
        DiagnosticDescriptor descriptor = Descriptor(id);
        Assert.Matches("^TK1[0-9]{3}$", id);
        Assert.Equal(DiagnosticSeverity.Warning, descriptor.DefaultSeverity);
        Assert.True(descriptor.IsEnabledByDefault);
        Assert.InRange(descriptor.Title.ToString(CultureInfo.InvariantCulture).Length, 10, 60);
        Assert.Contains("{0}", descriptor.MessageFormat.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.EndsWith(".", descriptor.Description.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.Equal($"https://github.com/toolkit-rpc/toolkit/blob/main/docs/diagnostics.md#{id.ToLowerInvariant()}", descriptor.HelpLinkUri);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void The_help_link_lands_on_a_section_of_the_diagnostics_page(string id)
    {
        string page = File.ReadAllText(Repository.Path("docs", "diagnostics.md"));
        string anchor = $"<a id=\"{id.ToLowerInvariant()}\"></a>";
        Assert.Contains(anchor, page, StringComparison.Ordinal);
        string afterAnchor = page[(page.IndexOf(anchor, StringComparison.Ordinal) + anchor.Length)..].TrimStart();
        Assert.StartsWith($"### {id}: {Descriptor(id).Title}", afterAnchor, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void The_rule_is_listed_in_the_unshipped_release(string id)
    {
        string releases = File.ReadAllText(Repository.Path("analyzers", "Toolkit.Rpc.Analyzers", "AnalyzerReleases.Unshipped.md"));
        Assert.Matches(new Regex($"^{id} \\| Toolkit\\.MainThread \\| Warning \\| ", RegexOptions.Multiline), releases);
    }

    [Fact]
    public void Ids_are_unique() => Assert.Equal(AllIds().Count(), AllIds().Distinct(StringComparer.Ordinal).Count());

    private static IEnumerable<string> AllIds() =>
        MainThreadTestHelper.AllAnalyzers.SelectMany(analyzer => analyzer.SupportedDiagnostics).Select(descriptor => descriptor.Id);

    private static DiagnosticDescriptor Descriptor(string id) =>
        MainThreadTestHelper.AllAnalyzers.SelectMany(analyzer => analyzer.SupportedDiagnostics).Single(descriptor => descriptor.Id == id);
}
