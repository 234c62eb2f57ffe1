using Microsoft.CodeAnalysis.Diagnostics;

namespace Toolkit.Rpc.Analyzers;

/// <summary>
/// The base of the main-thread rules: each looks only at compilations that reference Toolkit's runtime, with the
/// symbols it needs resolved once per compilation, and never at generated code.
/// </summary>
public abstract class MainThreadAnalyzer : DiagnosticAnalyzer
{
    private protected MainThreadAnalyzer()
    {
    }

    /// <inheritdoc />
    public sealed override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            // A compilation without Toolkit's runtime has no endpoints to check.
            if (MainThreadSymbols.Create(start.Compilation) is { } symbols)
            {
                Register(start, symbols);
            }
        });
    }

    /// <summary>Registers the rule's actions for one compilation.</summary>
    private protected abstract void Register(CompilationStartAnalysisContext start, MainThreadSymbols symbols);
}
