namespace StatefunOperator.Runtime.Host;

/// <summary>One failing address in <c>/status</c>: its host, <c>namespace/type/id</c>, attempts so far, since when, the last error, messages waiting.</summary>
internal sealed record FailingAddressStatus(string Host, string Address, int Attempts, DateTimeOffset FirstFailure, string LastError, int Waiting);
