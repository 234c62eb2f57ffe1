using System.Globalization;
using Microsoft.CodeAnalysis.CSharp;

namespace Toolkit.Rpc.Generators.Emitting;

/// <summary>C# literals and escapes for generated code.</summary>
internal static class Literals
{
    public static string Int(int value) => value < 0
        ? $"unchecked((int)0x{unchecked((uint)value).ToString("X8", CultureInfo.InvariantCulture)})"
        : $"0x{value.ToString("X8", CultureInfo.InvariantCulture)}";

    public static string Bool(bool value) => value ? "true" : "false";

    // Roslyn's own quoting: escapes quotes, backslashes and every character a C# string literal cannot hold as is.
    public static string String(string text) => SymbolDisplay.FormatLiteral(text, quote: true);

    public static string Escape(string text) => text.Replace("\\", "\\\\").Replace("\"", "\\\"");

    public static string Doc(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
