using Microsoft.CodeAnalysis;

namespace Toolkit.Rpc.Generators.Tests;

/// <summary>
/// A gateway that breaks a contract rule is the analyzers' to report (Toolkit.Rpc.Analyzers, tested there): the
/// generator says nothing, emits no code for it, and what it emits for everything else still compiles. Each bad
/// case sits next to the nearest good one, which is generated and compiles clean.
/// </summary>
public sealed class InvalidContractTests
{
    private const string UnionCases = "public sealed record Circle(double Radius) : Shape;\npublic sealed record Square(double Side) : Shape;\n";

    /// <summary>A source file with a gateway <c>IFoo</c> declaring <paramref name="members"/>, followed by <paramref name="types"/>.</summary>
    internal static string Gateway(string members, string types = "", string gatewayName = "IFoo") => $$"""
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using Toolkit.Rpc;

        namespace Toolkit.Samples;

        [RpcGateway]
        public interface {{gatewayName}}
        {
            {{members}}
        }

        {{types}}
        """;

    /// <summary>One contract per rule (TK0001–TK0011), each broken, and beside it the nearest contract that is fine.</summary>
    public static TheoryData<string, string> BrokenAndFixed() => new()
    {
        { Gateway("int Count();"), Gateway("Task<int> Count();") },
        { Gateway("Task SendAsync(ref int value);"), Gateway("Task SendAsync(int value);") },
        { Gateway("void Send(Slot slot);", "public sealed record Slot(int Id, IntPtr Handle);"), Gateway("void Send(Slot slot);", "public sealed record Slot(int Id, long Handle);") },
        { Gateway("int Count { get; }"), Gateway("Task<int> CountAsync();") },
        { Gateway("Task SendAsync(CancellationToken cancellation, int value);"), Gateway("Task SendAsync(int value, CancellationToken cancellation);") },
        { Gateway("Task Ping1232789();\nTask Ping1429192();"), Gateway("Task Ping1232789();\nTask Ping1429193();") },
        { Gateway("Task SendAsync(Shape shape);", "public abstract record Shape;\n" + UnionCases), Gateway("Task SendAsync(Shape shape);", "[RpcUnion(0, typeof(Circle))]\n[RpcUnion(1, typeof(Square))]\npublic abstract record Shape;\n" + UnionCases) },
        { Gateway("Task SendAsync(Bad bad);", "public sealed class Bad { private Bad() { } public int Count { get; set; } }"), Gateway("Task SendAsync(Bad bad);", "public sealed class Bad { public int Count { get; set; } }") },
        { Gateway("Task SendAsync(T value);", gatewayName: "IFoo<T>"), Gateway("Task SendAsync(int value);") },
        { Gateway("Task SendAsync(Outer.Shape shape);", "public class Outer { [RpcUnion(0, typeof(Hidden))] public abstract record Shape; private sealed record Hidden(int Id) : Shape; }"), Gateway("Task SendAsync(Outer.Shape shape);", "public class Outer { [RpcUnion(0, typeof(Hidden))] public abstract record Shape; internal sealed record Hidden(int Id) : Shape; }") },
        { Gateway("[RpcTimeout] Task SendAsync();"), Gateway("[RpcTimeout(5000)] Task SendAsync();") },
    };

    [Theory]
    [MemberData(nameof(BrokenAndFixed))]
    public void A_broken_gateway_is_skipped_silently_and_its_fix_is_generated(string broken, string fixedSource)
    {
        GeneratorRun run = CompilationHelper.Run(broken);
        Assert.Null(run.Generator.Exception);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.DoesNotContain(run.Sources, generated => generated.HintName.Contains("IFoo", StringComparison.Ordinal));
        Assert.Empty(run.Output.GetDiagnostics().Where(diagnostic => diagnostic.Severity >= DiagnosticSeverity.Warning).Select(diagnostic => diagnostic.ToString()));

        GeneratorRun good = CompilationHelper.RunClean(CompilationHelper.CreateCompilation(fixedSource));
        Assert.Contains(good.Sources, generated => generated.HintName.EndsWith("_Rpc.g.cs", StringComparison.Ordinal));
    }

    [Fact]
    public void An_endpoint_of_a_broken_gateway_leaves_the_generated_code_compiling()
    {
        const string Endpoint = """
            [RpcGateway]
            public interface IGood
            {
                Task PingAsync();
            }

            public sealed class Both : RpcEndpoint, IFoo, IGood
            {
                public int Count() => 0;

                public Task PingAsync() => Task.CompletedTask;
            }

            public sealed class OnlyBroken : RpcEndpoint, IFoo
            {
                public int Count() => 0;
            }
            """;
        GeneratorRun run = CompilationHelper.Run(Gateway("int Count();", Endpoint));
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.Output.GetDiagnostics().Where(diagnostic => diagnostic.Severity >= DiagnosticSeverity.Warning).Select(diagnostic => diagnostic.ToString()));
        string registration = run.Source("RpcModuleRegistration.g.cs");
        Assert.Contains("RegisterEndpoint(typeof(global::Toolkit.Samples.Both), new global::Toolkit.Rpc.Infrastructure.RpcGatewayDescriptor[] { Toolkit_Samples_IGood_", registration, StringComparison.Ordinal);
        Assert.DoesNotContain("OnlyBroken", registration, StringComparison.Ordinal);
    }

    [Fact]
    public void A_gateway_that_shares_a_broken_message_with_a_good_one_is_skipped_alone()
    {
        string source = Gateway("Task SendAsync(Shape shape);", """
            public abstract record Shape;

            [RpcGateway]
            public interface IBar
            {
                Task PingAsync();
            }
            """);
        GeneratorRun run = CompilationHelper.RunClean(CompilationHelper.CreateCompilation(source));
        Assert.DoesNotContain(run.Sources, generated => generated.HintName.Contains("IFoo", StringComparison.Ordinal));
        Assert.Contains(run.Sources, generated => generated.HintName.Contains("IBar", StringComparison.Ordinal));
    }
}
