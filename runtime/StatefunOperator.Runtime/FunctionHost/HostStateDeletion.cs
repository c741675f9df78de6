using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Microsoft.Extensions.Logging;
using StatefunOperator.Module.Validation;

namespace StatefunOperator.Runtime.FunctionHost;

/// <summary>
/// Deletes what a function host keeps in Kafka: its consumer group, then its inbox and changelog topics. Run by the
/// operator's cleanup Job when a FunctionEndpoint whose <c>deletionPolicy</c> is <c>Delete</c> goes, once its pods are
/// gone (a running host would create its topics again, and a group with members cannot be deleted). What is gone
/// already counts as deleted, so a Job that runs twice does no harm.
/// </summary>
public static class HostStateDeletion
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <returns>What could not be deleted, each with the broker's reason; empty when everything is gone.</returns>
    public static async Task<IReadOnlyList<string>> DeleteAsync(FunctionHostSettings host, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        var config = HostAdminConfig.For(host);
        using var admin = new AdminClientBuilder(config)
            .SetLogHandler((_, message) => Ingress.KafkaClientLog.Write(logger, message))
            .Build();
        var problems = new List<string>();
        var group = FunctionHostPipeline.GroupId(host);
        try
        {
            await admin.DeleteGroupsAsync([group], new DeleteGroupsOptions { RequestTimeout = Timeout }).WaitAsync(cancellationToken).ConfigureAwait(false);
            logger.LogInformation("function host {Host}: deleted consumer group {Group}", host.Id, group);
        }
        catch (DeleteGroupsException e) when (e.Results.All(r => !r.Error.IsError || r.Error.Code == ErrorCode.GroupIdNotFound))
        {
            logger.LogInformation("function host {Host}: consumer group {Group} does not exist", host.Id, group);
        }
        catch (DeleteGroupsException e)
        {
            problems.AddRange(e.Results.Where(r => r.Error.IsError).Select(r => $"consumer group {r.Group}: {r.Error.Reason}"));
        }
        catch (KafkaException e)
        {
            problems.Add($"consumer group {group}: {e.Error.Reason}");
        }

        string[] topics = [host.InboxTopic, host.ChangelogTopic];
        try
        {
            await admin.DeleteTopicsAsync(topics, new DeleteTopicsOptions { RequestTimeout = Timeout, OperationTimeout = Timeout }).WaitAsync(cancellationToken).ConfigureAwait(false);
            logger.LogInformation("function host {Host}: deleted topics {Topics}", host.Id, string.Join(", ", topics));
        }
        catch (DeleteTopicsException e)
        {
            problems.AddRange(e.Results.Where(r => r.Error.IsError && r.Error.Code != ErrorCode.UnknownTopicOrPart).Select(r => $"topic {r.Topic}: {r.Error.Reason}"));
        }
        catch (KafkaException e)
        {
            problems.Add($"topics {string.Join(", ", topics)}: {e.Error.Reason}");
        }

        return problems;
    }
}
