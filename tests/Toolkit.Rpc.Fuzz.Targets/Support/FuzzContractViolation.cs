namespace Toolkit.Rpc.Fuzz;

/// <summary>
/// An input broke the fuzz contract without the library throwing anything itself: it allocated far more than its size
/// warrants, or a value the decoder accepted did not survive re-encoding. Thrown out of a target, it is a crash to afl.
/// </summary>
public sealed class FuzzContractViolation(string message, Exception? innerException = null) : Exception(message, innerException);
