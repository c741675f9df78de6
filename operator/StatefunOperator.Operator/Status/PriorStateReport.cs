using System.Globalization;
using StatefunOperator.Crds.Endpoints;
using StatefunOperator.Module.Validation;
using StatefunOperator.Operator.Lag;

namespace StatefunOperator.Operator.Status;

/// <summary>
/// A FunctionEndpoint's <c>status.priorState</c>: what its host found in the changelog from before the endpoint was
/// created, from the first host pods that asked the broker, kept from then on (it is what the functions started with:
/// a later restart or compaction does not change it). A pod told another creation time (a pod of a deleted endpoint of
/// the same name, still stopping) is not believed; of the others, the answer that found most counts. Pure.
/// </summary>
public static class PriorStateReport
{
    public static PriorStateStatus? Next(FunctionEndpoint endpoint, IReadOnlyList<PriorStateReading>? readings)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (endpoint.Status?.PriorState is { } kept)
        {
            return kept;
        }

        if (endpoint.Metadata.CreationTimestamp is not { } created
            || (readings ?? [])
                .Where(r => EndpointCreationTime.Format(r.EndpointCreated) == EndpointCreationTime.Format(created))
                .OrderByDescending(r => r.Offsets)
                .ThenBy(r => r.CheckedAt)
                .FirstOrDefault() is not { } reading)
        {
            return null;
        }

        var at = EndpointCreationTime.Format(reading.EndpointCreated);
        var found = reading.Offsets > 0;
        return new PriorStateStatus
        {
            Found = found,
            Offsets = reading.Offsets,
            Partitions = reading.Partitions,
            // To the second, as the API server keeps times: what is read back compares equal to what was written.
            CheckedAt = DateTime.SpecifyKind(reading.CheckedAt.UtcDateTime.AddTicks(-(reading.CheckedAt.UtcDateTime.Ticks % TimeSpan.TicksPerSecond)), DateTimeKind.Utc),
            Message = found
                ? string.Create(
                    CultureInfo.InvariantCulture,
                    $"The changelog {reading.ChangelogTopic} holds {reading.Offsets} offsets on {reading.Partitions} of {reading.PartitionCount} partitions written before this FunctionEndpoint was created ({at}): state an earlier FunctionEndpoint of this name left (its deletionPolicy was Keep). The functions started with what of it is live (the latest value per key; deleted values stay deleted). If they should have started empty: delete this FunctionEndpoint with deletionPolicy Delete, which deletes that state too, and create it again.")
                : $"The changelog {reading.ChangelogTopic} holds no records written before this FunctionEndpoint was created ({at}): the functions started empty.",
        };
    }
}
