using System.Globalization;

namespace StatefunOperator.Module.Formats;

/// <summary>A key of the specific-offsets map, <c>topic/partition</c> (e.g. <c>user-topic/0</c>): the one parser of it.</summary>
public static class TopicPartitionKey
{
    public static bool TryParse(string? key, out string topic, out int partition)
    {
        topic = string.Empty;
        partition = -1;
        var slash = key?.LastIndexOf('/') ?? -1;
        if (key is null || slash <= 0
            || !int.TryParse(key.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out partition)
            || !KafkaTopicName.IsValid(key[..slash]))
        {
            partition = -1;
            return false;
        }

        topic = key[..slash];
        return true;
    }

    public static string Format(string topic, int partition) =>
        string.Create(CultureInfo.InvariantCulture, $"{topic}/{partition}");
}
