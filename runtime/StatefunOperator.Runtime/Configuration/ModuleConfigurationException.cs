namespace StatefunOperator.Runtime.Configuration;

/// <summary>A module configuration is invalid; <see cref="Problems"/> names each field and bad value.</summary>
public sealed class ModuleConfigurationException : Exception
{
    public ModuleConfigurationException(IReadOnlyList<string> problems)
        : base(string.Join(Environment.NewLine, problems))
    {
        Problems = problems;
    }

    public ModuleConfigurationException()
        : this([])
    {
    }

    public ModuleConfigurationException(string message)
        : this([message])
    {
    }

    public ModuleConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [message];
    }

    public IReadOnlyList<string> Problems { get; }
}
