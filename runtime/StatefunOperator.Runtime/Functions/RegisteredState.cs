using StatefunOperator.Runtime.Protocol;

namespace StatefunOperator.Runtime.Functions;

/// <summary>A persisted value a function declared: its type name and its current value (null while it has none).</summary>
internal sealed record RegisteredState(string TypeName, TypedValue? Value);
