using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace StatefunOperator.Crds.Ingress;

[Description("Where the ingress starts consuming.")]
public sealed class StartupPosition
{
    [JsonPropertyName("type")]
    [AllowedValues(
        StartupPositionTypes.GroupOffsets,
        StartupPositionTypes.Earliest,
        StartupPositionTypes.Latest,
        StartupPositionTypes.SpecificOffsets,
        StartupPositionTypes.Date)]
    [DefaultValue(StartupPositionTypes.GroupOffsets)]
    [Description("group-offsets (default), earliest, latest, specific-offsets or date.")]
    public string? Type { get; set; }

    [JsonPropertyName("offsets")]
    [Description("For specific-offsets: a map from 'topic/partition' to the offset to start from, e.g. user-topic/0: 91.")]
    public Dictionary<string, long>? Offsets { get; set; }

    [JsonPropertyName("date")]
    [Description("For date: start from the first record whose timestamp is at or after this date, formatted 'yyyy-MM-dd HH:mm:ss.SSS z', e.g. '2020-02-01 04:15:00.000 Z'.")]
    public string? Date { get; set; }
}
