namespace StatefunOperator.Module.Formats;

/// <summary>Kafka's rule for topic names: 1-249 characters of ASCII letters, digits, '.', '_' and '-', not '.' or '..'.</summary>
public static class KafkaTopicName
{
    public const int MaxLength = 249;

    public const string Rule = "letters, digits, '.', '_' and '-', at most 249";

    public static bool IsValid(string? name) =>
        !string.IsNullOrEmpty(name)
        && name.Length <= MaxLength
        && name is not ("." or "..")
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');
}
