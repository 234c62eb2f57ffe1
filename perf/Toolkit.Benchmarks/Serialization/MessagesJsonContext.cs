using System.Text.Json.Serialization;
using Toolkit.Benchmarks.Messages;

namespace Toolkit.Benchmarks.Serialization;

/// <summary>The System.Text.Json baseline: source-generated metadata and fast-path writers, no reflection.</summary>
[JsonSourceGenerationOptions(GenerationMode = JsonSourceGenerationMode.Default)]
[JsonSerializable(typeof(Ping))]
[JsonSerializable(typeof(Registration))]
[JsonSerializable(typeof(SlotReport))]
[JsonSerializable(typeof(Draw))]
[JsonSerializable(typeof(Chunk))]
internal sealed partial class MessagesJsonContext : JsonSerializerContext;
