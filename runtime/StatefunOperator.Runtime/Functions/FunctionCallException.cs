namespace StatefunOperator.Runtime.Functions;

/// <summary>A remote function call failed (HTTP error, timeout, unreadable answer); the dispatcher retries it.</summary>
public sealed class FunctionCallException : Exception
{
    public FunctionCallException()
    {
    }

    public FunctionCallException(string message)
        : base(message)
    {
    }

    public FunctionCallException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
