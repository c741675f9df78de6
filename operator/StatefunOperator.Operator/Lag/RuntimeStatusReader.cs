using System.Text.Json;
using StatefunOperator.Crds.Common;

namespace StatefunOperator.Operator.Lag;

/// <summary>
/// Reads a runtime pod's <c>GET /status</c> (the consumer lag of each of its consumers, as the runtime read it
/// from the consumer itself: an ingress worker's ingress, a function host's inbox; a function host's failing
/// addresses, and what it found in its changelog from before its endpoint was created) and returns them. The operator
/// never connects to Kafka.
/// </summary>
public sealed class RuntimeStatusReader(HttpClient http)
{
    public async Task<RuntimeStatusReading> ReadAsync(Uri status, CancellationToken cancellationToken)
    {
        await using var body = await http.GetStreamAsync(status, cancellationToken).ConfigureAwait(false);
        using var json = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
        var partitions = new List<PartitionLagStatus>();
        foreach (var ingress in json.RootElement.GetProperty("lag").EnumerateArray())
        {
            foreach (var partition in ingress.GetProperty("partitions").EnumerateArray())
            {
                partitions.Add(new PartitionLagStatus
                {
                    Topic = partition.GetProperty("topic").GetString() ?? string.Empty,
                    Partition = partition.GetProperty("partition").GetInt32(),
                    Lag = partition.GetProperty("lag").GetInt64(),
                });
            }
        }

        var failing = new List<FailingAddressReading>();
        var failingTotal = 0;
        if (json.RootElement.TryGetProperty("failing", out var failingList) && failingList.ValueKind == JsonValueKind.Array)
        {
            foreach (var address in failingList.EnumerateArray())
            {
                failing.Add(new FailingAddressReading(
                    address.GetProperty("address").GetString() ?? string.Empty,
                    address.GetProperty("attempts").GetInt32(),
                    address.GetProperty("firstFailure").GetDateTimeOffset(),
                    address.GetProperty("lastError").GetString() ?? string.Empty));
            }

            failingTotal = json.RootElement.TryGetProperty("failingTotal", out var total) ? total.GetInt32() : failing.Count;
        }

        var priorState = new List<PriorStateReading>();
        if (json.RootElement.TryGetProperty("priorState", out var priorList) && priorList.ValueKind == JsonValueKind.Array)
        {
            priorState.AddRange(priorList.EnumerateArray().Select(host => new PriorStateReading(
                host.GetProperty("changelogTopic").GetString() ?? string.Empty,
                host.GetProperty("endpointCreated").GetDateTimeOffset(),
                host.GetProperty("offsets").GetInt64(),
                host.GetProperty("partitions").GetInt32(),
                host.GetProperty("partitionCount").GetInt32(),
                host.GetProperty("checkedAt").GetDateTimeOffset())));
        }

        return new RuntimeStatusReading(partitions, failing, failingTotal, priorState);
    }

    /// <summary>
    /// The lags of one resource's pods together: summed, the worst partition named; null when no pod answered or
    /// the pods have no partition assigned yet (a starting consumer): unknown, not zero.
    /// </summary>
    public static ConsumerLagStatus? Combine(IReadOnlyList<IReadOnlyList<PartitionLagStatus>> pods)
    {
        ArgumentNullException.ThrowIfNull(pods);

        // A partition moving between pods mid-read may be reported twice: count it once, at its larger lag.
        var partitions = pods.SelectMany(p => p)
            .GroupBy(p => (p.Topic, p.Partition))
            .Select(g => g.MaxBy(p => p.Lag)!)
            .ToList();
        var worst = partitions.OrderByDescending(p => p.Lag).ThenBy(p => p.Topic, StringComparer.Ordinal).ThenBy(p => p.Partition).FirstOrDefault();
        if (worst is null)
        {
            return null;
        }

        return new ConsumerLagStatus
        {
            Total = partitions.Sum(p => p.Lag),
            WorstPartition = worst,
            Partitions = partitions.Count,
            Pods = pods.Count,
        };
    }
}
