using System.Globalization;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Microsoft.Extensions.Logging;
using StatefunOperator.Module.Validation;

namespace StatefunOperator.Runtime.FunctionHost.Store;

/// <summary>
/// What decides whether a partition's store can be trusted, as the broker says it: the changelog's topic id (empty
/// when the broker does not tell) and its <c>delete.retention.ms</c> (null when unknown: then the store's age is not
/// held against it).
/// </summary>
internal sealed record ChangelogFacts(string TopicId, long? DeleteRetentionMs)
{
    /// <summary>How long the broker has to answer (both questions at once); a host reads them once, while it joins its group.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    public static ChangelogFacts Unknown { get; } = new(string.Empty, null);

    public static async Task<ChangelogFacts> ReadAsync(FunctionHostSettings host, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(host);
        var config = HostAdminConfig.For(host);
        using var admin = new AdminClientBuilder(config).SetLogHandler((_, m) => Ingress.KafkaClientLog.Write(logger, m)).Build();
        var topic = admin.DescribeTopicsAsync(TopicCollection.OfTopicNames([host.ChangelogTopic]), new DescribeTopicsOptions { RequestTimeout = Timeout });
        var configs = admin.DescribeConfigsAsync([new ConfigResource { Type = ResourceType.Topic, Name = host.ChangelogTopic }], new DescribeConfigsOptions { RequestTimeout = Timeout });
        var topicId = string.Empty;
        try
        {
            topicId = (await topic.ConfigureAwait(false)).TopicDescriptions.SingleOrDefault()?.TopicId?.ToString() ?? string.Empty;
        }
        catch (KafkaException e)
        {
            logger.LogInformation("function host {Host}: the topic id of {Changelog} is unknown ({Error}): a store of another changelog of that name would not be recognised", host.Id, host.ChangelogTopic, e.Message);
        }

        long? retention = null;
        try
        {
            if ((await configs.ConfigureAwait(false)).SingleOrDefault()?.Entries.GetValueOrDefault("delete.retention.ms")?.Value is { } text
                && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ms))
            {
                retention = ms;
            }
        }
        catch (KafkaException e)
        {
            logger.LogInformation("function host {Host}: delete.retention.ms of {Changelog} is unknown ({Error}): a store's age is not held against it", host.Id, host.ChangelogTopic, e.Message);
        }

        return new ChangelogFacts(topicId.Trim('\0'), retention);
    }

    /// <summary>Why the store at <paramref name="position"/> cannot be trusted for a changelog partition holding offsets [low, high); null when it can.</summary>
    public string? Distrust(StorePosition position, long low, long high, long nowMs)
    {
        ArgumentNullException.ThrowIfNull(position);
        if (TopicId.Length > 0 && position.ChangelogTopicId.Length > 0 && !string.Equals(TopicId, position.ChangelogTopicId, StringComparison.Ordinal))
        {
            return $"it mirrors another changelog (topic id {position.ChangelogTopicId}, the changelog's is {TopicId})";
        }

        if (position.NextOffset > high)
        {
            return $"it covers the changelog up to offset {position.NextOffset}, which ends at {high} (deleted and created again?)";
        }

        if (position.NextOffset < low)
        {
            return $"the changelog starts at offset {low}, after what it covers ({position.NextOffset})";
        }

        if (DeleteRetentionMs is { } retention && nowMs - position.WrittenAtMs > retention)
        {
            return $"it was last written {TimeSpan.FromMilliseconds(nowMs - position.WrittenAtMs).TotalHours:F1} h ago, longer than the changelog's delete.retention.ms ({retention} ms): compaction may have dropped deletions it never saw";
        }

        return null;
    }
}
