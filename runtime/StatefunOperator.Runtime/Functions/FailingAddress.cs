namespace StatefunOperator.Runtime.Functions;

/// <summary>An address whose calls keep failing: how many attempts so far, since when, and the last error.</summary>
public sealed record FailingAddress(FunctionAddress Address, int Attempts, DateTimeOffset FirstFailure, string LastError, int Waiting);
