using Microsoft.CodeAnalysis;

namespace Toolkit.Rpc.Analyzers;

/// <summary>Builds the descriptors of the main-thread rules: warnings, one category, a help link to each rule's section.</summary>
internal static class MainThreadRule
{
    public const string Category = "Toolkit.MainThread";

    public static DiagnosticDescriptor Create(string id, string title, string messageFormat, string description) => new(
        id,
        title,
        messageFormat,
        Category,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description,
        HelpLink(id));

    public static string HelpLink(string id) =>
        "https://github.com/toolkit-rpc/toolkit/blob/main/docs/diagnostics.md#" + id.ToLowerInvariant();
}
