using System.Reflection;
using Toolkit.Rpc.Gateways;

namespace Toolkit.Rpc.Generators.Tests;

/// <summary>
/// The contract lines emitted with each gateway: what they say, that they reach the runtime descriptor intact, and
/// that edits which change the wire change them and the fingerprint while edits which do not leave both alone.
/// </summary>
public sealed class ContractTests
{
    private const string Registrar = """
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using Toolkit.Rpc;

        namespace Toolkit.Samples;

        [RpcGateway]
        public interface IRegistrar
        {
            Task<Response> RegisterAsync(Registration registration, int attempt, [RpcTimeout] TimeSpan timeout, CancellationToken cancellation);

            void Forget(long id);

            ValueTask ClearAsync();

            Task<Dictionary<string, int?>> CountsAsync(CancellationToken cancellation);
        }

        public sealed record Registration(long Id, string Name, int[] Slots);

        [RpcUnion(0, typeof(Accepted))]
        [RpcUnion(1, typeof(Declined))]
        public abstract record Response;

        public sealed record Accepted(Guid Ticket) : Response;

        public sealed record Declined(string Reason) : Response;

        public sealed class Registry : RpcEndpoint, IRegistrar
        {
            private readonly Dictionary<string, int?> _counts = new();

            public Task<Response> RegisterAsync(Registration registration, int attempt, TimeSpan timeout, CancellationToken cancellation) =>
                Task.FromResult<Response>(new Accepted(Guid.NewGuid()));

            public void Forget(long id)
            {
            }

            public ValueTask ClearAsync()
            {
                _counts.Clear();
                return default;
            }

            public Task<Dictionary<string, int?>> CountsAsync(CancellationToken cancellation) => Task.FromResult(_counts);
        }
        """;

    private static readonly string[] RegistrarContract =
    [
        "method ClearAsync() -> void",
        "method CountsAsync() -> System.Collections.Generic.Dictionary<string, int?>",
        "method Forget(long) -> void (one-way)",
        "method RegisterAsync(Toolkit.Samples.Registration, int) -> Toolkit.Samples.Response",
        "type System.Collections.Generic.Dictionary<string, int?>: dictionary of string to int?",
        "type System.Guid: 16 raw bytes",
        "type Toolkit.Samples.Accepted: object { Ticket: System.Guid }",
        "type Toolkit.Samples.Declined: object { Reason: string }",
        "type Toolkit.Samples.Registration: object { Id: long, Name: string, Slots: int[] }",
        "type Toolkit.Samples.Response: union { 0: Toolkit.Samples.Accepted, 1: Toolkit.Samples.Declined }",
        "type int: 4 raw bytes",
        "type int?: nullable int",
        "type int[]: block array of int",
        "type long: 8 raw bytes",
        "type string: utf-8 string",
    ];

    /// <summary>
    /// Edits that change what goes over the wire (a member's type, a new member, a renamed method, a new argument, swapped
    /// union tags), and what <see cref="RpcContract.Check"/> makes of the old contract against the new one: the problem,
    /// or null for an edit that versions tolerate.
    /// </summary>
    public static TheoryData<string, string, string?> ContractEdits() => new()
    {
        {
            "public sealed record Registration(long Id, string Name, int[] Slots);",
            "public sealed record Registration(long Id, string Name, long[] Slots);",
            "gateway Toolkit.Samples.IRegistrar differs: type Toolkit.Samples.Registration member 2 is 'Slots: int[]' at old but 'Slots: long[]' at new"
        },
        {
            "public sealed record Registration(long Id, string Name, int[] Slots);",
            "public sealed record Registration(long Id, string Name, int[] Slots, DateTime At);",
            null
        },
        {
            "Forget(long id)",
            "Drop(long id)",
            null
        },
        {
            "Forget(long id)",
            "Forget(long id, string reason)",
            "gateway Toolkit.Samples.IRegistrar differs: method Forget is 'method Forget(long) -> void (one-way)' at old but 'method Forget(long, string) -> void (one-way)' at new"
        },
        {
            "[RpcUnion(0, typeof(Accepted))]\n[RpcUnion(1, typeof(Declined))]",
            "[RpcUnion(1, typeof(Accepted))]\n[RpcUnion(0, typeof(Declined))]",
            "gateway Toolkit.Samples.IRegistrar differs: "
                + "union Toolkit.Samples.Response case 0 is Toolkit.Samples.Accepted at old but Toolkit.Samples.Declined at new; "
                + "union Toolkit.Samples.Response case 1 is Toolkit.Samples.Declined at old but Toolkit.Samples.Accepted at new"
        },
        {
            "[RpcUnion(1, typeof(Declined))]\npublic abstract record Response;",
            "[RpcUnion(1, typeof(Declined))]\n[RpcUnion(2, typeof(Deferred))]\npublic abstract record Response;\n\npublic sealed record Deferred(DateTime Until) : Response;",
            null
        },
    };

    /// <summary>Edits that leave the wire as it is: a comment, a method body, a parameter name, a default timeout.</summary>
    public static TheoryData<string, string> UnrelatedEdits() => new()
    {
        { "void Forget(long id);", "// Forgetting is one-way.\n    void Forget(long id);" },
        { "_counts.Clear();\n        return default;", "_counts.Clear();\n        _counts[\"cleared\"] = 0;\n        return default;" },
        { "Forget(long id)", "Forget(long registrationId)" },
        { "ValueTask ClearAsync();", "[RpcTimeout(5000)]\n    ValueTask ClearAsync();" },
    };

    [Fact]
    public void The_contract_lists_each_method_by_its_arguments_and_result_then_each_type_it_reaches_in_wire_order()
    {
        GatewayModel model = Model(Registrar);

        Assert.Equal(RegistrarContract, model.Contract);
        Assert.Equal(StableHash.Of64Hex(string.Join("\n", RegistrarContract)), model.Fingerprint);
    }

    [Fact]
    public void The_descriptor_of_a_corpus_gateway_carries_its_contract_lines_and_their_hash()
    {
        CorpusTests.RunInCorpus(checks =>
        {
            RpcGatewayDescriptor health = Descriptor(checks.Assembly, "Toolkit_Corpus_IHealthGateway_");

            Assert.Equal(["method IsHealthyAsync() -> bool", "method PingAsync() -> void", "type bool: 1 raw byte"], health.Contract);
            Assert.Equal(StableHash.Of64Hex("method IsHealthyAsync() -> bool\nmethod PingAsync() -> void\ntype bool: 1 raw byte"), health.Fingerprint);
        });
    }

    [Fact]
    public void Every_corpus_descriptor_carries_exactly_the_lines_of_its_model()
    {
        GatewayModel[] models = Models(CompilationHelper.RunClean(CorpusTests.CorpusCompilation()));
        Assert.Equal(3, models.Length);

        // ICorpusGateway's lines hold generics, nullables, nested types and keyword-named members: all must survive as literals.
        Assert.Contains(models.Single(model => model.SimpleName == "ICorpusGateway").Contract, line => line.Contains("<string, int>", StringComparison.Ordinal));
        CorpusTests.RunInCorpus(checks =>
        {
            foreach (GatewayModel model in models)
            {
                RpcGatewayDescriptor descriptor = Descriptor(checks.Assembly, model.Identifier + "_Rpc");
                Assert.Equal(model.Contract, descriptor.Contract);
                Assert.Equal(model.Fingerprint, descriptor.Fingerprint);
            }
        });
    }

    [Theory]
    [MemberData(nameof(ContractEdits))]
    public void An_edit_that_changes_the_wire_changes_the_contract_and_the_fingerprint(string before, string after, string? problem)
    {
        GatewayModel original = Model(Registrar);
        GatewayModel edited = Model(Edit(Registrar, before, after));

        Assert.NotEqual(original.Contract, edited.Contract);
        Assert.NotEqual(original.Fingerprint, edited.Fingerprint);
        ContractCheck check = RpcContract.Check(original.DisplayName, original.Contract.ToArray(), edited.Contract.ToArray(), "old", "new");
        Assert.Equal(problem, check.Problem);
        Assert.Equal(problem is null, check.IsCompatible);
    }

    [Fact]
    public void Enum_members_are_part_of_the_contract_and_renumbering_one_is_incompatible()
    {
        const string Source = """
            using System.Threading.Tasks;
            using Toolkit.Rpc;

            namespace Toolkit.Samples;

            public enum Priority : short { Low = 0, Normal = 1, High = 2 }

            [RpcGateway]
            public interface IQueue
            {
                Task<Priority> PeekAsync();
            }
            """;
        GatewayModel original = Model(Source);
        GatewayModel renumbered = Model(Edit(Source, "High = 2", "High = 3"));
        GatewayModel extended = Model(Edit(Source, "High = 2", "High = 2, Urgent = 3"));

        Assert.Contains("type Toolkit.Samples.Priority: enum of 2 raw bytes { Low = 0, Normal = 1, High = 2 }", original.Contract);
        Assert.Equal(
            "gateway Toolkit.Samples.IQueue differs: enum Toolkit.Samples.Priority member High is 2 at old but 3 at new",
            RpcContract.Check(original.DisplayName, original.Contract.ToArray(), renumbered.Contract.ToArray(), "old", "new").Problem);
        Assert.True(RpcContract.Check(original.DisplayName, original.Contract.ToArray(), extended.Contract.ToArray(), "old", "new").IsCompatible);
    }

    [Theory]
    [MemberData(nameof(UnrelatedEdits))]
    public void An_edit_that_leaves_the_wire_alone_leaves_the_contract_and_the_fingerprint(string before, string after)
    {
        GatewayModel edited = Model(Edit(Registrar, before, after));

        Assert.Equal(RegistrarContract, edited.Contract);
        Assert.Equal(Model(Registrar).Fingerprint, edited.Fingerprint);
    }

    private static string Edit(string source, string before, string after)
    {
        string edited = CompilationHelper.Normalize(source).Replace(before, after, StringComparison.Ordinal);
        Assert.NotEqual(CompilationHelper.Normalize(source), edited);
        return edited;
    }

    private static GatewayModel Model(string source) =>
        Assert.Single(Models(CompilationHelper.RunClean(CompilationHelper.CreateCompilation(source))));

    private static GatewayModel[] Models(GeneratorRun run) => run.Generator.TrackedSteps[RpcGenerator.TrackingNames.GatewayModels]
        .SelectMany(step => step.Outputs)
        .Select(output => output.Value)
        .OfType<GatewayModel>()
        .ToArray();

    private static RpcGatewayDescriptor Descriptor(Assembly assembly, string classNamePrefix) =>
        (RpcGatewayDescriptor)assembly.GetTypes()
            .Single(type => type.Name.StartsWith(classNamePrefix, StringComparison.Ordinal))
            .GetField("Descriptor", BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public)!
            .GetValue(null)!;
}
