using Microsoft.CodeAnalysis;
using Toolkit.Rpc.Generators.Model;

namespace Toolkit.Rpc.Generators.Parsing;

/// <summary>
/// Where byte streams may appear: a <c>Stream</c> or <c>PipeReader</c> is a gateway method's own argument, or the
/// result of its <c>Task&lt;T&gt;</c> or <c>ValueTask&lt;T&gt;</c>; never a member of a message, an element of a
/// collection, an item of an item stream, or an argument of a one-way method (whose sender would never learn whether
/// the stream was read). Its bytes travel out of band; the call carries a token.
/// </summary>
internal static class ByteStreamRules
{
    public static bool IsByteStream(KnownTypeSymbols known, ITypeSymbol type)
    {
        ITypeSymbol plain = type.WithNullableAnnotation(NullableAnnotation.NotAnnotated);
        return KnownTypeSymbols.Is(plain, known.Stream) || KnownTypeSymbols.Is(plain, known.PipeReader);
    }

    /// <summary>The key of a byte-stream parameter, or null (reported) when the method cannot take one.</summary>
    public static string? Parameter(ContractWalker walker, IParameterSymbol parameter, string methodDisplay, Location? location, bool oneWay)
    {
        if (oneWay)
        {
            walker.Report(ContractRule.MisplacedByteStream, location, methodDisplay,
                $"parameter '{parameter.Name}' is a {parameter.Type.Name}, and a one-way (void) method never learns whether its stream was read; return Task");
            return null;
        }

        return walker.ByteStreamKey(parameter.Type);
    }

    /// <summary>The key of a byte-stream result, or null (reported) when the method cannot return one.</summary>
    public static string? Result(ContractWalker walker, ITypeSymbol result, ReturnKind kind, string methodDisplay, Location? location)
    {
        if (kind == ReturnKind.Stream)
        {
            walker.Report(ContractRule.MisplacedByteStream, location, methodDisplay,
                $"the items of an item stream cannot be {result.Name}s; return Task<{result.Name}> for one byte stream");
            return null;
        }

        return walker.ByteStreamKey(result);
    }
}
