using StatefunOperator.Runtime.Functions;
using StatefunOperator.Runtime.Protocol;

namespace StatefunOperator.Runtime.FunctionHost;

/// <summary>A delayed message owned by <see cref="Owner"/> (the address that sent it), waiting for its time.</summary>
internal sealed record DelayedMessage(string Id, FunctionAddress Owner, DelayedEntry Entry);
