using System.Collections;
using System.Collections.Immutable;
using System.Reflection;
using Microsoft.CodeAnalysis;

namespace Toolkit.Rpc.Generators.Tests;

/// <summary>
/// Models must not hold symbols, compilations, syntax or locations: they would break incremental caching (they
/// never compare equal across compilations) and keep old compilations alive.
/// </summary>
public sealed class ModelTests
{
    private const BindingFlags InstanceFields = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;

    private static readonly Assembly GeneratorAssembly = typeof(RpcGenerator).Assembly;

    private static readonly Type[] Forbidden =
        [typeof(ISymbol), typeof(Compilation), typeof(SemanticModel), typeof(SyntaxTree), typeof(SyntaxNode), typeof(SyntaxToken), typeof(Location)];

    public static TheoryData<Type> ModelTypes()
    {
        TheoryData<Type> data = [];
        foreach (Type type in GeneratorAssembly.GetTypes().Where(type => type.Namespace == "Toolkit.Rpc.Generators.Model" && !type.IsNested && !(type.IsAbstract && type.IsSealed)))
        {
            data.Add(type);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ModelTypes))]
    public void A_model_type_holds_no_symbol_compilation_syntax_or_location(Type modelType)
    {
        Assert.Empty(ForbiddenMembers(modelType));
    }

    [Fact]
    public void The_model_check_finds_a_location_inside_an_equatable_array()
    {
        Assert.Equal(["LeakyModel.Inner<Leak>.Where: Location"], ForbiddenMembers(typeof(LeakyModel)));
    }

    [Fact]
    public void No_tracked_step_output_holds_a_symbol_compilation_syntax_or_location()
    {
        GeneratorRun run = CompilationHelper.Run(CorpusTests.CorpusCompilation().AddSyntaxTrees(
            Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(InvalidContractTests.Gateway("int Broken();"), CompilationHelper.ParseOptions, "Broken.cs")));
        Assert.DoesNotContain(run.Sources, generated => generated.HintName.Contains("IFoo", StringComparison.Ordinal));

        List<string> found = [];
        int values = 0;
        foreach (string name in IncrementalTests.TrackingNames())
        {
            foreach (IncrementalGeneratorRunStep step in run.Generator.TrackedSteps[name])
            {
                foreach ((object value, IncrementalStepRunReason _) in step.Outputs)
                {
                    values++;
                    Walk(value, name, new HashSet<object>(ReferenceEqualityComparer.Instance), found);
                }
            }
        }

        Assert.True(values > 0);
        Assert.Empty(found);
    }

    private static List<string> ForbiddenMembers(Type root)
    {
        List<string> found = [];
        CheckType(root, root.Name, [], found);
        return found;
    }

    private static void CheckType(Type type, string path, HashSet<Type> visited, List<string> found)
    {
        if (!visited.Add(type))
        {
            return;
        }

        for (Type? level = type; level is not null && level != typeof(object) && level != typeof(ValueType); level = level.BaseType)
        {
            foreach (FieldInfo field in level.GetFields(InstanceFields))
            {
                CheckMemberType(field.FieldType, $"{path}.{MemberName(field)}", visited, found);
            }
        }
    }

    private static void CheckMemberType(Type type, string path, HashSet<Type> visited, List<string> found)
    {
        if (type.IsGenericParameter)
        {
            return;
        }

        // An object-typed member could hold anything, so it counts as forbidden too.
        if (type == typeof(object) || Forbidden.Any(forbidden => forbidden.IsAssignableFrom(type)))
        {
            found.Add($"{path}: {type.Name}");
            return;
        }

        if (type.IsArray)
        {
            CheckMemberType(type.GetElementType()!, path + "[]", visited, found);
            return;
        }

        // EquatableArray<T>, ImmutableArray<T>, T?: what matters is what they hold.
        foreach (Type argument in type.IsGenericType ? type.GetGenericArguments() : [])
        {
            CheckMemberType(argument, $"{path}<{argument.Name}>", visited, found);
        }

        // The generator's own types are followed; so are this class's deliberately leaky ones.
        if ((type.Assembly == GeneratorAssembly || type.DeclaringType == typeof(ModelTests)) && !type.IsEnum)
        {
            CheckType(type, path, visited, found);
        }
    }

    // Follows the values themselves, through arrays, immutable arrays and tuples, into every object the generator defines.
    private static void Walk(object? value, string path, HashSet<object> visited, List<string> found)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum)
        {
            return;
        }

        Type type = value.GetType();
        if (Forbidden.Any(forbidden => forbidden.IsInstanceOfType(value)))
        {
            found.Add($"{path}: {type.Name}");
            return;
        }

        if (!type.IsValueType && !visited.Add(value))
        {
            return;
        }

        if (value is IEnumerable items && (type.IsArray || type.Assembly == GeneratorAssembly || type.Namespace == typeof(ImmutableArray).Namespace))
        {
            int index = 0;
            foreach (object? item in items)
            {
                Walk(item, $"{path}[{index++}]", visited, found);
            }

            return;
        }

        if (type.Assembly == GeneratorAssembly || type.FullName?.StartsWith("System.ValueTuple", StringComparison.Ordinal) == true)
        {
            for (Type? level = type; level is not null && level != typeof(object); level = level.BaseType)
            {
                foreach (FieldInfo field in level.GetFields(InstanceFields))
                {
                    Walk(field.GetValue(value), $"{path}.{MemberName(field)}", visited, found);
                }
            }
        }
    }

    private static string MemberName(FieldInfo field) =>
        field.Name.StartsWith('<') ? field.Name[1..field.Name.IndexOf('>', StringComparison.Ordinal)] : field.Name;

    private sealed record Leak(Location Where) : IEquatable<Leak>;

    private sealed record LeakyModel(EquatableArray<Leak> Inner);
}
