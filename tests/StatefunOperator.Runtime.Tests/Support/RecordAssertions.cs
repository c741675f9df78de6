using StatefunOperator.Runtime.Ingress;

namespace StatefunOperator.Runtime.Tests.Support;

internal static class RecordAssertions
{
    /// <summary>The offset of the first record seen from each partition.</summary>
    public static IReadOnlyDictionary<int, long> FirstOffsetPerPartition<T>(this IEnumerable<IngressRecord<T>> records)
        where T : class =>
        records.GroupBy(r => r.Source.Partition.Value)
            .ToDictionary(g => g.Key, g => g.First().Source.Offset.Value);

    public static IReadOnlyDictionary<int, long> CountPerPartition<T>(this IEnumerable<IngressRecord<T>> records)
        where T : class =>
        records.GroupBy(r => r.Source.Partition.Value).ToDictionary(g => g.Key, g => (long)g.Count());
}
