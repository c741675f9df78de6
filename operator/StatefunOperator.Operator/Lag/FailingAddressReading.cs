namespace StatefunOperator.Operator.Lag;

/// <summary>A function address whose calls fail, as a host pod's <c>/status</c> reports it.</summary>
public sealed record FailingAddressReading(string Address, int Attempts, DateTimeOffset FirstFailure, string LastError);
