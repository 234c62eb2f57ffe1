namespace Toolkit.Rpc.Generators.Model;

/// <summary>What a parameter is to the runtime.</summary>
internal enum ParameterRole
{
    Argument,
    Timeout,
    Cancellation,
}
