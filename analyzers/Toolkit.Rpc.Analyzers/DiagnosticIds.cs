namespace Toolkit.Rpc.Analyzers;

/// <summary>
/// Every Toolkit analyzer diagnostic id, allocated in ranges: TK0001–TK0099 contract rules (errors: a gateway or
/// message the generator cannot generate), TK1000–TK1999 main-thread and correctness rules (warnings),
/// TK2000–TK2999 performance rules.
/// </summary>
public static class DiagnosticIds
{
    // Contract rules (TK0001–TK0099).

    // Main-thread and correctness rules (TK1000–TK1999).
}
