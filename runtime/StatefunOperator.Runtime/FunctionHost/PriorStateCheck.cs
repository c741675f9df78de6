using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Microsoft.Extensions.Logging;
using StatefunOperator.Module.Validation;

namespace StatefunOperator.Runtime.FunctionHost;

/// <summary>
/// Asks the broker, once per host start, how much of the host's changelog is older than its FunctionEndpoint, less
/// <see cref="EndpointCreationTime.ClockAllowance"/> (four
/// ListOffsets questions per partition: first offset, end, first offset at the creation time and at time 0, the last to
/// tell a broker that does not know offsets-for-times; read_uncommitted), and
/// hands the answer to <see cref="Metrics.PriorStateRegistry"/> for <c>/status</c>: the operator turns it into the
/// endpoint's <c>status.priorState</c>. Runs beside the host, never delays it; a broker that cannot answer (or does not
/// know offsets-for-times) is asked again with backoff, a bounded number of times, then left unknown with a warning.
/// </summary>
public static class PriorStateCheck
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The waits before each further attempt: about 10 minutes in all.</summary>
    private static readonly TimeSpan[] Backoff = [.. new[] { 2, 5, 10, 30, 60, 120, 120, 120, 120 }.Select(s => TimeSpan.FromSeconds(s))];

    public static async Task RunAsync(FunctionHostSettings host, DateTimeOffset endpointCreated, ILogger logger, TimeProvider? clock = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(logger);
        clock ??= TimeProvider.System;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var found = await ReadAsync(host, endpointCreated, logger, clock).WaitAsync(cancellationToken).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                Metrics.PriorStateRegistry.Set(found);
                if (found.Offsets > 0)
                {
                    logger.LogInformation(
                        "function host {Host}: its changelog {Changelog} holds {Offsets} offsets on {Partitions} of {Count} partitions written before its FunctionEndpoint was created ({Created}): state an earlier endpoint of this name left",
                        host.Id, host.ChangelogTopic, found.Offsets, found.Partitions, found.PartitionCount, EndpointCreationTime.Format(endpointCreated));
                }

                return;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is KafkaException or TimeoutException)
            {
                if (attempt >= Backoff.Length)
                {
                    logger.LogWarning("function host {Host}: whether its changelog holds state from before its endpoint was created stays unknown: the broker did not answer ({Error})", host.Id, e.Message);
                    return;
                }

                logger.LogDebug("function host {Host}: asking for the changelog's offsets failed ({Error}); again in {Wait}", host.Id, e.Message, Backoff[attempt]);
                await Task.Delay(Backoff[attempt], clock, cancellationToken).ConfigureAwait(false);
            }
            catch (NotSupportedException e)
            {
                logger.LogWarning("function host {Host}: whether its changelog holds state from before its endpoint was created stays unknown: {Why}", host.Id, e.Message);
                return;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Never a silent end: the status then stays without priorState, and the log says why.
                logger.LogWarning(e, "function host {Host}: whether its changelog holds state from before its endpoint was created stays unknown: the check failed", host.Id);
                return;
            }
        }
    }

    /// <summary>
    /// One answer from the broker; throws <see cref="KafkaException"/> when it has none, and
    /// <see cref="NotSupportedException"/> when it does not know offsets-for-times.
    /// </summary>
    public static async Task<PriorState> ReadAsync(FunctionHostSettings host, DateTimeOffset endpointCreated, ILogger logger, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        var config = HostAdminConfig.For(host);
        using var admin = new AdminClientBuilder(config).SetLogHandler((_, m) => Ingress.KafkaClientLog.Write(logger, m)).Build();
        var partitions = Enumerable.Range(0, host.Partitions).Select(p => new TopicPartition(host.ChangelogTopic, p)).ToList();
        var earliest = await OffsetsAsync(admin, partitions, OffsetSpec.Earliest()).ConfigureAwait(false);
        var latest = await OffsetsAsync(admin, partitions, OffsetSpec.Latest()).ConfigureAwait(false);
        var atCreation = await OffsetsAsync(admin, partitions, OffsetSpec.ForTimestamp((endpointCreated - EndpointCreationTime.ClockAllowance).ToUnixTimeMilliseconds())).ConfigureAwait(false);
        var atZero = await OffsetsAsync(admin, partitions, OffsetSpec.ForTimestamp(0)).ConfigureAwait(false);
        if (partitions.FirstOrDefault(p => !PriorState.AnswersOffsetsForTimes(Of(earliest, p), Of(atZero, p), Of(latest, p))) is { } unanswered)
        {
            throw new NotSupportedException(
                $"the broker at {host.Address} does not answer offsets-for-times: asked for the first record of {unanswered} since 1970, it names none, though the partition holds offsets {earliest[unanswered.Partition.Value]} to {latest[unanswered.Partition.Value]}");
        }

        var before = partitions.Select(p => PriorState.Before(Of(earliest, p), Of(atCreation, p), Of(latest, p))).ToList();
        return new PriorState(
            host.Id,
            host.ChangelogTopic,
            endpointCreated,
            before.Sum(),
            before.Count(b => b > 0),
            partitions.Count,
            (clock ?? TimeProvider.System).GetUtcNow());
    }

    private static long Of(Dictionary<int, long> offsets, TopicPartition partition) =>
        offsets.TryGetValue(partition.Partition.Value, out var offset)
            ? offset
            : throw new KafkaException(new Error(ErrorCode.Local_Partial, $"the broker's answer left out {partition}"));

    private static async Task<Dictionary<int, long>> OffsetsAsync(IAdminClient admin, IReadOnlyList<TopicPartition> partitions, OffsetSpec spec)
    {
        try
        {
            var result = await admin.ListOffsetsAsync(
                partitions.Select(p => new TopicPartitionOffsetSpec { TopicPartition = p, OffsetSpec = spec }),
                new ListOffsetsOptions { IsolationLevel = IsolationLevel.ReadUncommitted, RequestTimeout = RequestTimeout }).ConfigureAwait(false);
            return result.ResultInfos.ToDictionary(r => r.TopicPartitionOffsetError.Partition.Value, r => r.TopicPartitionOffsetError.Offset.Value);
        }
        catch (ListOffsetsException e)
        {
            var failed = e.Result.ResultInfos.First(r => r.TopicPartitionOffsetError.Error.IsError).TopicPartitionOffsetError;
            throw new KafkaException(failed.Error);
        }
    }
}
