namespace StatefunOperator.Runtime.Egress;

/// <summary>
/// An egress setting the broker does not accept, found when the runtime starts (the module itself is
/// valid). The message names the egress, the field and the values; the runtime stops with exit code 2.
/// </summary>
public sealed class EgressConfigurationException : Exception
{
    public EgressConfigurationException()
    {
    }

    public EgressConfigurationException(string message)
        : base(message)
    {
    }

    public EgressConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
