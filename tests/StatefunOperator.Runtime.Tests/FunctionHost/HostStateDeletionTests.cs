using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using StatefunOperator.Module.Validation;
using StatefunOperator.Runtime.FunctionHost;
using StatefunOperator.Testing.Kafka;

namespace StatefunOperator.Runtime.Tests.FunctionHost;

/// <summary>
/// K6: what the operator's cleanup Job runs (<c>statefun-runtime --delete-host-state</c>) on a broker with real
/// topics and groups: a host's consumer group and topics deleted; a second run finds nothing and succeeds; a group
/// that still has a member is not deleted, and says so.
/// </summary>
public sealed class HostStateDeletionTests
{
    [RealBrokerFact]
    public async Task K6_AHostsGroupAndTopics_AreDeleted_ASecondRunSucceedsToo_AGroupWithAMemberIsRefused()
    {
        var broker = await KafkaTestBroker.GetRealAsync();
        var host = new FunctionHostSettings("test/" + KafkaTestBroker.UniqueName("deleted"), broker.BootstrapServers, 2, false, TimeSpan.FromMinutes(1), []);
        await InternalTopics.EnsureAsync(host, NullLogger.Instance, CancellationToken.None);
        var group = FunctionHosts.GroupId(host.Id);
        using (var member = broker.CreateConsumer(group))
        {
            member.Assign(new TopicPartition(host.InboxTopic, 0));
            member.Commit([new TopicPartitionOffset(host.InboxTopic, 0, 0)]);
            member.Subscribe(host.InboxTopic);
            member.Consume(TimeSpan.FromSeconds(5)); // joins the group: now it has a member

            var refused = await HostStateDeletion.DeleteAsync(host, NullLogger.Instance, CancellationToken.None);
            Assert.Contains(refused, p => p.StartsWith($"consumer group {group}: ", StringComparison.Ordinal));
            member.Close();
        }

        Assert.Empty(await HostStateDeletion.DeleteAsync(host, NullLogger.Instance, CancellationToken.None));
        Assert.Empty(await HostStateDeletion.DeleteAsync(host, NullLogger.Instance, CancellationToken.None));

        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build();
        var topics = admin.GetMetadata(TimeSpan.FromSeconds(10)).Topics.Select(t => t.Topic).ToList();
        Assert.DoesNotContain(host.InboxTopic, topics);
        Assert.DoesNotContain(host.ChangelogTopic, topics);
        var groups = await admin.ListConsumerGroupsAsync();
        Assert.DoesNotContain(groups.Valid, g => g.GroupId == group);
    }
}
