using StatefunOperator.Runtime.Protocol;

namespace StatefunOperator.Runtime.Functions;

/// <summary>A message waiting for its target address: who sent it (absent for ingress records) and the argument.</summary>
internal sealed record PendingInvocation(FunctionAddress? Caller, TypedValue Argument);
