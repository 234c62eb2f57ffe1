using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Toolkit.Rpc.Generators.Model;

namespace Toolkit.Rpc.Generators.Parsing;

/// <summary>
/// Where item streams may appear: an <c>IAsyncEnumerable&lt;T&gt;</c> is a method's result only, never a parameter,
/// the result of a task or a member of a message; a streaming method has no timeout (it runs as long as its consumer
/// reads), only its cancellation.
/// </summary>
internal static class StreamRules
{
    public static bool IsStream(KnownTypeSymbols known, ITypeSymbol type) =>
        type is INamedTypeSymbol named && KnownTypeSymbols.Is(named.ConstructedFrom, known.AsyncEnumerable);

    public static bool Check(ContractWalker walker, IMethodSymbol method, string methodDisplay, Location? location, List<ParameterModel> parameters, int? timeoutMilliseconds)
    {
        if (timeoutMilliseconds is not null || parameters.Any(p => p.Role == ParameterRole.Timeout))
        {
            walker.Report(ContractRule.MisplacedStream, method.Locations.FirstOrDefault() ?? location, methodDisplay,
                "it returns an item stream, which runs as long as its consumer reads: it takes no timeout, only a CancellationToken");
            return false;
        }

        return true;
    }
}
