using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Toolkit.Rpc.Analyzers.Contract;

namespace Toolkit.Rpc.Analyzers.Tests;

/// <summary>Every contract descriptor is complete, documented in its own section and tracked in the release files.</summary>
public sealed class DescriptorTests
{
    public static TheoryData<string> ContractIds()
    {
        TheoryData<string> data = [];
        foreach (DiagnosticDescriptor descriptor in Descriptors())
        {
            data.Add(descriptor.Id);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ContractIds))]
    public void A_contract_descriptor_is_an_error_with_a_short_title_a_full_sentence_description_and_its_help_link(string id)
    {
        DiagnosticDescriptor descriptor = Descriptors().Single(candidate => candidate.Id == id);
        Assert.Equal(DiagnosticSeverity.Error, descriptor.DefaultSeverity);
        Assert.True(descriptor.IsEnabledByDefault);
        Assert.Equal("Toolkit.Contract", descriptor.Category);

        string title = descriptor.Title.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(title.Length, 5, 60);
        Assert.False(title.EndsWith('.'), "a title is a phrase, not a sentence");

        string description = descriptor.Description.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(description.EndsWith('.') && description.Count(c => c == '.') >= 2, $"{id}'s description says why and how to fix it, in full sentences");

        Assert.Equal($"https://github.com/toolkit-rpc/toolkit/blob/main/docs/diagnostics.md#{id.ToLowerInvariant()}", descriptor.HelpLinkUri);
    }

    [Theory]
    [MemberData(nameof(ContractIds))]
    public void A_contract_diagnostic_has_its_section_in_the_docs_with_a_bad_and_a_good_example(string id)
    {
        string docs = File.ReadAllText(Repository.Path("docs", "diagnostics.md"));
        string contract = docs[docs.IndexOf("## Contract rules (errors)", StringComparison.Ordinal)..docs.IndexOf("## Main-thread rules (warnings)", StringComparison.Ordinal)];
        Match section = Regex.Match(contract, $"<a id=\"{id.ToLowerInvariant()}\"></a>\n### {id}: (?<title>[^\n]+)\n(?<body>.*?)(?=<a id=|$)", RegexOptions.Singleline);
        Assert.True(section.Success, $"docs/diagnostics.md has a section for {id} under the contract rules");
        Assert.Equal(Descriptors().Single(descriptor => descriptor.Id == id).Title.ToString(System.Globalization.CultureInfo.InvariantCulture), section.Groups["title"].Value);
        string body = section.Groups["body"].Value;
        Assert.Contains("**Catches**", body, StringComparison.Ordinal);
        Assert.Contains("**Why**", body, StringComparison.Ordinal);
        Assert.True(Regex.Matches(body, "```csharp").Count >= 2, $"{id}'s section shows a bad and a good example");
        Assert.Contains(id, body, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ContractIds))]
    public void A_contract_diagnostic_is_tracked_as_a_release_entry(string id)
    {
        string unshipped = File.ReadAllText(Repository.Path("analyzers", "Toolkit.Rpc.Analyzers", "AnalyzerReleases.Unshipped.md"));
        Assert.Matches($"(?m)^{id} \\| Toolkit.Contract \\| Error \\|", unshipped);
    }

    private static IEnumerable<DiagnosticDescriptor> Descriptors() =>
        AnalyzerHelper.AllAnalyzers().OfType<ContractAnalyzer>().SelectMany(analyzer => analyzer.SupportedDiagnostics);
}
