using System.Collections.Generic;
using Toolkit.Rpc.Generators.Model;
using static Toolkit.Rpc.Generators.KnownNames;

namespace Toolkit.Rpc.Generators.Emitting;

/// <summary>The statement that writes a value and the expression that reads it, by the shape of its type.</summary>
internal static class ValueCode
{
    public static void Write(SourceWriter w, string typeKey, string expression, Dictionary<string, TypeModel> types)
    {
        TypeModel type = types[typeKey];
        w.Line(type.Shape switch
        {
            TypeShape.Unmanaged => $"writer.WriteUnmanaged({expression});",
            TypeShape.DateTimeOffset => $"writer.WriteDateTimeOffset({expression});",
            TypeShape.String => $"writer.WriteString({expression});",
            TypeShape.NullableUnmanaged => $"writer.WriteNullable({expression});",
            TypeShape.NullableDateTimeOffset => $"writer.WriteNullableDateTimeOffset({expression});",
            TypeShape.UnmanagedArray => $"writer.WriteUnmanagedArray({expression});",
            TypeShape.Bytes => $"writer.WriteBytes({expression}.Span);",
            TypeShape.Gateway => $"{GatewayReferences}.Write<{type.FullyQualifiedName}>(ref writer, {expression});",
            TypeShape.ByteStream => $"{ByteStreamValues}.WriteStream(ref writer, {expression});",
            TypeShape.PipeReader => $"{ByteStreamValues}.WritePipeReader(ref writer, {expression});",
            _ => $"Serializers.Write_{type.Identifier}(ref writer, {expression});",
        });
    }

    public static string Read(string typeKey, Dictionary<string, TypeModel> types)
    {
        TypeModel type = types[typeKey];
        return type.Shape switch
        {
            TypeShape.Unmanaged => $"reader.ReadUnmanaged<{type.FullyQualifiedName}>()",
            TypeShape.DateTimeOffset => "reader.ReadDateTimeOffset()",
            TypeShape.String => "reader.ReadString()",
            TypeShape.NullableUnmanaged => $"reader.ReadNullable<{types[type.ElementType!].FullyQualifiedName}>()",
            TypeShape.NullableDateTimeOffset => "reader.ReadNullableDateTimeOffset()",
            TypeShape.UnmanagedArray => $"reader.ReadUnmanagedArray<{types[type.ElementType!].FullyQualifiedName}>()",
            TypeShape.Bytes => type.Collection == CollectionKind.Memory
                ? "new global::System.Memory<byte>(reader.ReadBytes())"
                : "new global::System.ReadOnlyMemory<byte>(reader.ReadBytes())",
            TypeShape.Gateway => $"{GatewayReferences}.Read<{type.FullyQualifiedName}>(ref reader)",
            TypeShape.ByteStream => $"{ByteStreamValues}.ReadStream(ref reader)",
            TypeShape.PipeReader => $"{ByteStreamValues}.ReadPipeReader(ref reader)",
            _ => $"Serializers.Read_{type.Identifier}(ref reader)",
        };
    }
}
