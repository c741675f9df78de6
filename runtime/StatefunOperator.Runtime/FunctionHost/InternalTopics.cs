using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Microsoft.Extensions.Logging;
using StatefunOperator.Module.Validation;

namespace StatefunOperator.Runtime.FunctionHost;

/// <summary>
/// Creates a function host's internal topics when they are missing: the inbox and the changelog
/// (<c>cleanup.policy=compact</c>), with the host's partitions and the broker's default replication.
/// An existing topic with another partition count is an error naming <c>host.partitions</c>: the count
/// cannot change once addresses live in partitions.
/// </summary>
public static class InternalTopics
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    /// <summary>Makes sure both topics exist; returns their partition count (what addresses are spread over).</summary>
    public static async Task<int> EnsureAsync(FunctionHostSettings host, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        var config = HostAdminConfig.For(host);
        using var admin = new AdminClientBuilder(config)
            .SetLogHandler((_, message) => Ingress.KafkaClientLog.Write(logger, message))
            .Build();
        var wanted = new[]
        {
            new TopicSpecification { Name = host.InboxTopic, NumPartitions = host.Partitions, ReplicationFactor = -1 },
            new TopicSpecification
            {
                Name = host.ChangelogTopic,
                NumPartitions = host.Partitions,
                ReplicationFactor = -1,
                Configs = new Dictionary<string, string> { ["cleanup.policy"] = "compact" },
            },
        };
        if (ExistingPartitionCounts(host, wanted.Select(t => t.Name).ToArray(), logger) is [{ } inbox, { } changelog]
            && inbox == host.Partitions && changelog == host.Partitions)
        {
            return host.Partitions;
        }

        string? cannotCreate = null;
        try
        {
            await admin.CreateTopicsAsync(wanted, new CreateTopicsOptions { RequestTimeout = Timeout, OperationTimeout = Timeout }).WaitAsync(cancellationToken).ConfigureAwait(false);
            logger.LogInformation("function host {Host}: created {Inbox} and {Changelog} with {Partitions} partitions", host.Id, host.InboxTopic, host.ChangelogTopic, host.Partitions);
            return host.Partitions;
        }
        catch (CreateTopicsException e) when (e.Results.All(r => !r.Error.IsError || r.Error.Code == ErrorCode.TopicAlreadyExists))
        {
            // Both exist (or one was created now): their partition count is checked below.
        }
        catch (CreateTopicsException e)
        {
            cannotCreate = string.Join("; ", e.Results.Where(r => r.Error.IsError).Select(f => $"{f.Topic}: {f.Error.Reason}"));
        }
        catch (KafkaException e)
        {
            cannotCreate = e.Error.Reason;
        }

        var counts = wanted.Select(t => PartitionCount(admin, t.Name)).ToArray();
        if (counts.Any(c => c is null))
        {
            throw new InvalidOperationException(
                $"function host {host.Id}: cannot create its topics on {host.Address} ({cannotCreate}); create {host.InboxTopic} and {host.ChangelogTopic} (partitions {host.Partitions}, the changelog with cleanup.policy=compact) or grant the runtime CREATE on them");
        }

        if (cannotCreate is null)
        {
            return Checked(host, counts[0]!.Value, counts[1]!.Value);
        }

        var actual = Checked(host with { Partitions = counts[0]!.Value }, counts[0]!.Value, counts[1]!.Value);
        if (actual != host.Partitions)
        {
            logger.LogWarning(
                "function host {Host}: could not create its topics ({Reason}); the broker created them with {Actual} partitions instead of {Declared}",
                host.Id,
                cannotCreate,
                actual,
                host.Partitions);
        }

        return actual;
    }

    /// <summary>Both topics have the host's partition count; returns it.</summary>
    private static int Checked(FunctionHostSettings host, int inbox, int changelog)
    {
        if (inbox != changelog)
        {
            throw new InvalidOperationException(
                $"function host {host.Id}: {host.InboxTopic} has {inbox} partitions and {host.ChangelogTopic} {changelog}; they must have the same count");
        }

        if (inbox != host.Partitions)
        {
            throw new InvalidOperationException(
                $"function host {host.Id}: host.partitions: the topic {host.InboxTopic} has {inbox} partitions, the host declares {host.Partitions}; the partition count cannot change once created (addresses live in their partition)");
        }

        return inbox;
    }

    /// <summary>
    /// The partition counts of topics that exist (null for one that does not), asked through a consumer
    /// handle, which never makes a broker auto-create a topic.
    /// </summary>
    private static int?[] ExistingPartitionCounts(FunctionHostSettings host, string[] topics, ILogger logger)
    {
        var config = new ConsumerConfig(KafkaPropertyScopes.ForConsumer(host.PropertyMap()))
        {
            BootstrapServers = host.Address,
            GroupId = "statefun-metadata-unused",
            AllowAutoCreateTopics = false,
        };
        using var consumer = new ConsumerBuilder<byte[], byte[]>(config).SetLogHandler((_, m) => Ingress.KafkaClientLog.Write(logger, m)).Build();
        using var metadata = new DependentAdminClientBuilder(consumer.Handle).Build();
        return topics
            .Select(topic => metadata.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.FirstOrDefault(t => t.Topic == topic) is { Error.IsError: false, Partitions.Count: > 0 } found
                ? found.Partitions.Count
                : (int?)null)
            .ToArray();
    }

    /// <summary>The topic's partition count; asking for it makes a broker that auto-creates topics create it. Null when it does not exist.</summary>
    private static int? PartitionCount(IAdminClient admin, string topic)
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var found = admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.FirstOrDefault(t => t.Topic == topic);
            if (found is { Error.IsError: false, Partitions.Count: > 0 })
            {
                return found.Partitions.Count;
            }

            Thread.Sleep(200);
        }

        return null;
    }
}
