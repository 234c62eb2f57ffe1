using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Toolkit.Rpc.Generators.Model;
using static Toolkit.Rpc.Generators.KnownNames;

namespace Toolkit.Rpc.Generators.Emitting;

/// <summary>A gateway's file: its method descriptors, one invocation struct per method, its descriptor and its proxy.</summary>
internal static class GatewayEmitter
{
    public static string Emit(GatewayModel gateway, string ns)
    {
        Dictionary<string, TypeModel> types = gateway.Types.ToDictionary(type => type.FullyQualifiedName, StringComparer.Ordinal);
        SourceWriter w = new();
        w.Line(GeneratedFiles.Header).Open("namespace " + ns);
        w.Line($"/// <summary>Generated RPC plumbing for <c>{Literals.Doc(gateway.DisplayName)}</c>: method descriptors, invocations, the proxy and the dispatch table.</summary>");
        w.Line($"[{GeneratedCode}]");
        w.Open($"internal static class {GeneratedFiles.GatewayClass(gateway.Identifier)}");

        foreach (MethodModel method in gateway.Methods)
        {
            bool hasTimeoutParameter = method.Parameters.Any(p => p.Role == ParameterRole.Timeout);
            // A stream can always be cancelled: its consumer's enumerator token reaches the producer even when the method takes none.
            bool hasCancellation = method.ReturnKind == ReturnKind.Stream || method.Parameters.Any(p => p.Role == ParameterRole.Cancellation);
            string timeout = method.TimeoutMilliseconds is int ms ? $"{TimeSpanType}.FromMilliseconds({ms.ToString(CultureInfo.InvariantCulture)})" : "null";
            string kind = method.ReturnKind switch { ReturnKind.Void => "Tell", ReturnKind.Stream => "Stream", _ => "Ask" };
            string faults = method.Faults.Count == 0 ? ""
                : $", new {Fault}[] {{ {string.Join(", ", method.Faults.Select(fault => $"new {Fault}<{fault}>({Literals.String(ContractDescription.Readable(fault))})"))} }}";
            string fenced = method.IsFenced ? ", isFenced: true" : "";
            w.Line($"internal static readonly {MethodDescriptor} {method.Identifier} = new(\"{method.Name}\", {Literals.Int(method.Id)}, {MethodKind}.{kind}, {timeout}, {Literals.Bool(hasTimeoutParameter)}, {Literals.Bool(hasCancellation)}{faults}{fenced});");
        }

        w.Line();
        w.Line($"internal static readonly {GatewayDescriptor} Descriptor = new(");
        w.Line($"    typeof({gateway.FullyQualifiedName}),");
        w.Line($"    \"{Literals.Escape(gateway.DisplayName)}\",");
        w.Line($"    {Literals.Int(gateway.Id)},");
        w.Line($"    {Literals.String(gateway.Fingerprint)},");
        w.Line("    new string[]");
        w.Line("    {");
        foreach (string line in gateway.Contract)
        {
            w.Line($"        {Literals.String(line)},");
        }

        w.Line("    },");
        w.Line($"    new {MethodHandler}[]");
        w.Line("    {");
        foreach (MethodModel method in gateway.Methods)
        {
            string handler = method.ReturnKind == ReturnKind.Stream ? StreamMethodHandler : MethodHandler;
            w.Line($"        new {handler}<{method.Identifier}_Invocation, {ResultType(method)}>({method.Identifier}),");
        }

        w.Line("    },");
        w.Line("    static target => new Proxy(target),");
        w.Line($"    static instance => instance is {gateway.FullyQualifiedName});");

        foreach (MethodModel method in gateway.Methods)
        {
            w.Line();
            if (method.ReturnKind == ReturnKind.Stream)
            {
                StreamInvocation(w, method, types);
            }
            else
            {
                Invocation(w, method, types);
            }
        }

        w.Line();
        ProxyClass(w, gateway);
        w.Close().Close();
        return w.ToString();
    }

    private static void Invocation(SourceWriter w, MethodModel method, Dictionary<string, TypeModel> types)
    {
        string name = method.Identifier + "_Invocation";
        string result = ResultType(method);
        w.Line($"/// <summary>The arguments of <c>{Literals.Doc(method.Name)}</c> and the code that calls it and moves its data.</summary>");
        w.Open($"internal struct {name} : {InvocationInterface}<{name}, {result}>");
        Arguments(w, method, name, types);
        if (method.ResultType is null)
        {
            w.Line($"public static void WriteResult(ref {Writer} writer, {VoidType} result)");
            w.Line("{");
            w.Line("}");
            w.Line();
            w.Line($"public static {VoidType} ReadResult(ref {Reader} reader) => default;");
        }
        else
        {
            w.Open($"public static void WriteResult(ref {Writer} writer, {result} result)");
            ValueCode.Write(w, method.ResultType, "result", types);
            w.Close();
            w.Line();
            w.Line($"public static {result} ReadResult(ref {Reader} reader) => {ValueCode.Read(method.ResultType, types)};");
        }

        w.Line();
        string call = Call(method);
        string signature = $"public {ValueTaskType}<{result}> Invoke(object endpoint, in {CallContext} context)";
        switch (method.ReturnKind)
        {
            case ReturnKind.Void:
                w.Open(signature).Line(call + ";").Line("return default;").Close();
                break;
            case ReturnKind.Task:
            case ReturnKind.ValueTask:
                w.Line($"{signature} => {Tasks}.ToVoid({call});");
                break;
            case ReturnKind.TaskOfT:
                w.Line($"{signature} => new {ValueTaskType}<{result}>({call});");
                break;
            default:
                w.Line($"{signature} => {call};");
                break;
        }

        w.Close();
    }

    // The argument fields, the method's descriptor, and the code that reads and writes the arguments.
    private static void Arguments(SourceWriter w, MethodModel method, string name, Dictionary<string, TypeModel> types)
    {
        ParameterModel[] arguments = method.Parameters.Where(p => p.Role == ParameterRole.Argument).ToArray();
        for (int i = 0; i < arguments.Length; i++)
        {
            w.Line($"public {arguments[i].Type} Arg{i};");
        }

        if (arguments.Length > 0)
        {
            w.Line();
        }

        w.Line($"public static {MethodDescriptor} Method => {method.Identifier};");
        w.Line();
        w.Open($"public static {name} ReadArguments(ref {Reader} reader)");
        w.Line($"{name} arguments = default;");
        for (int i = 0; i < arguments.Length; i++)
        {
            w.Line($"arguments.Arg{i} = {ValueCode.Read(arguments[i].Type, types)};");
        }

        w.Line("return arguments;");
        w.Close();
        w.Line();
        w.Open($"public void WriteArguments(ref {Writer} writer)");
        for (int i = 0; i < arguments.Length; i++)
        {
            ValueCode.Write(w, arguments[i].Type, $"this.Arg{i}", types);
        }

        w.Close();
        w.Line();
    }

    // A streaming method's struct: the arguments as for an ask, then one item at a time instead of a result.
    private static void StreamInvocation(SourceWriter w, MethodModel method, Dictionary<string, TypeModel> types)
    {
        string name = method.Identifier + "_Invocation";
        string item = method.ResultType!;
        w.Line($"/// <summary>The arguments of <c>{Literals.Doc(method.Name)}</c>, the code that calls it and moves its arguments and items.</summary>");
        w.Open($"internal struct {name} : {StreamInvocationInterface}<{name}, {item}>");
        Arguments(w, method, name, types);
        w.Open($"public static void WriteItem(ref {Writer} writer, {item} item)");
        ValueCode.Write(w, item, "item", types);
        w.Close();
        w.Line();
        w.Line($"public static {item} ReadItem(ref {Reader} reader) => {ValueCode.Read(item, types)};");
        w.Line();
        w.Line($"public {AsyncEnumerableType}<{item}> Invoke(object endpoint, in {CallContext} context) => {Call(method)};");
        w.Close();
    }

    private static string Call(MethodModel method)
    {
        int argumentIndex = 0;
        return $"(({method.DeclaringInterface})endpoint).{method.Name}(" + string.Join(", ", method.Parameters.Select(p => p.Role switch
        {
            ParameterRole.Timeout => "context.Timeout",
            ParameterRole.Cancellation => "context.CancellationToken",
            _ => $"this.Arg{argumentIndex++}",
        })) + ")";
    }

    private static void ProxyClass(SourceWriter w, GatewayModel gateway)
    {
        w.Line($"/// <summary>The caller's handle to a <c>{Literals.Doc(gateway.DisplayName)}</c> endpoint.</summary>");
        w.Open($"internal sealed class Proxy : {ProxyBase}, {gateway.FullyQualifiedName}");
        w.Line($"public Proxy({TargetType} target)");
        w.Line("    : base(target)");
        w.Line("{");
        w.Line("}");
        foreach (MethodModel method in gateway.Methods)
        {
            string name = method.Identifier + "_Invocation";
            string parameters = string.Join(", ", method.Parameters.Select(p => $"{p.Type} {p.Name}"));
            int index = 0;
            string initializer = method.Parameters.Any(p => p.Role == ParameterRole.Argument)
                ? $"new {name} {{ " + string.Join(", ", method.Parameters.Where(p => p.Role == ParameterRole.Argument).Select(p => $"Arg{index++} = {p.Name}")) + " }"
                : $"default({name})";
            string timeout = method.Parameters.FirstOrDefault(p => p.Role == ParameterRole.Timeout)?.Name ?? "null";
            string cancellation = method.Parameters.FirstOrDefault(p => p.Role == ParameterRole.Cancellation)?.Name ?? "default";
            string body = method.ReturnKind switch
            {
                ReturnKind.Void => $"this.Tell({initializer});",
                ReturnKind.Task => $"return this.AskVoidAsync({initializer}, {timeout}, {cancellation}).AsTask();",
                ReturnKind.ValueTask => $"return this.AskVoidAsync({initializer}, {timeout}, {cancellation});",
                ReturnKind.TaskOfT => $"return this.AskAsync<{name}, {method.ResultType}>({initializer}, {timeout}, {cancellation}).AsTask();",
                ReturnKind.Stream => $"return this.Stream<{name}, {method.ResultType}>({initializer}, {cancellation});",
                _ => $"return this.AskAsync<{name}, {method.ResultType}>({initializer}, {timeout}, {cancellation});",
            };
            w.Line();
            // Explicit, so that gateway methods named like RpcProxy's members (Target, ToString) or the class (Proxy) compile.
            w.Open($"{method.ReturnType} {method.DeclaringInterface}.{method.Name}({parameters})").Line(body).Close();
        }

        w.Close();
    }

    private static string ResultType(MethodModel method) => method.ResultType ?? VoidType;
}
