namespace StatefunOperator.Runtime.Ingress;

/// <summary>A deserializer's way to say why it cannot read a record.</summary>
public sealed class UnreadableRecordException : Exception
{
    public UnreadableRecordException()
    {
    }

    public UnreadableRecordException(string message)
        : base(message)
    {
    }

    public UnreadableRecordException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
