namespace StatefunOperator.Sdk;

/// <summary>Reads a value from its bytes (a span cannot be a generic <see cref="Func{T, TResult}"/> argument).</summary>
public delegate T DeserializeSpan<out T>(ReadOnlySpan<byte> bytes);
