using System.Globalization;
using StatefunOperator.Module.Formats;
using StatefunOperator.Module.Model;

namespace StatefunOperator.Module.Validation;

/// <summary>
/// Validates a whole module: every component by its rules, then what lies between components (unique ids,
/// forwarding to a declared egress without a loop, every function target served by an endpoint).
/// Each message names its component and field: <c>ingress example/users: startupPosition.date: ...</c>.
/// </summary>
public static class ModuleValidator
{
    public static IReadOnlyList<string> Validate(ModuleDefinition module)
    {
        ArgumentNullException.ThrowIfNull(module);
        var problems = new List<string>();
        foreach (var ingress in module.Ingresses)
        {
            problems.AddRange(KafkaIngressRules.Validate(ingress).Select(p => $"{IngressOwner(ingress)}: {p}"));
        }

        foreach (var egress in module.Egresses)
        {
            problems.AddRange(KafkaEgressRules.Validate(egress).Select(p => $"{EgressOwner(egress)}: {p}"));
        }

        foreach (var endpoint in module.Endpoints)
        {
            problems.AddRange(HttpEndpointRules.Validate(endpoint).Select(p => $"{EndpointOwner(endpoint)}: {p}"));
        }

        AddDuplicates(problems, module.Ingresses.Select(IngressOwner).Concat(module.Egresses.Select(EgressOwner)));
        AddDuplicates(problems, module.Endpoints.Where(e => e.Functions is not null).Select(e => "function host " + (e.Host?.Id ?? FunctionHosts.DefaultId(e.Functions!))));
        problems.AddRange(ForwardingProblems(module));
        problems.AddRange(TargetProblems(module));
        return problems;
    }

    /// <summary>
    /// Things worth saying that are not errors: function targets in a module without endpoints; a property that the
    /// resource's Kafka client does not use (a producer property on an ingress, a consumer property on an egress: see
    /// <see cref="KafkaPropertyScopes"/>).
    /// </summary>
    public static IReadOnlyList<string> Notices(ModuleDefinition module)
    {
        ArgumentNullException.ThrowIfNull(module);
        var notices = new List<string>();
        if (module.Endpoints.Count == 0)
        {
            notices.AddRange(module.Ingresses
                .Where(i => i.Topics.Any(t => t.Targets is { Count: > 0 }))
                .Select(i => $"{IngressOwner(i)}: the module declares no function endpoint ({ModuleKinds.HttpEndpointV2}); records for function targets are logged, not invoked"));
        }

        notices.AddRange(module.Ingresses.SelectMany(i => i.Properties
            .Where(p => KafkaPropertyScopes.ProducerOnly.Contains(p.Key))
            .Select(p => $"{IngressOwner(i)}: properties.{p.Key} is a Kafka producer property; the ingress's consumer does not use it (set it on the egress or the function host that produces)")));
        notices.AddRange(module.Egresses.SelectMany(e => e.Properties
            .Where(p => KafkaPropertyScopes.ConsumerOnly.Contains(p.Key))
            .Select(p => $"{EgressOwner(e)}: properties.{p.Key} is a Kafka consumer property; the egress's producer does not use it")));
        return notices;
    }

    public static string IngressOwner(KafkaIngressDefinition ingress) => "ingress " + ingress.Id;

    public static string EgressOwner(KafkaEgressDefinition egress) => "egress " + egress.Id;

    public static string EndpointOwner(HttpEndpointDefinition endpoint) => "endpoint " + endpoint.Functions;

    private static void AddDuplicates(List<string> problems, IEnumerable<string> owners)
    {
        foreach (var duplicate in owners.GroupBy(x => x, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            problems.Add($"{duplicate.Key}: declared {duplicate.Count()} times; ids must be unique");
        }
    }

    private static IEnumerable<string> ForwardingProblems(ModuleDefinition module)
    {
        var egresses = module.Egresses.GroupBy(e => e.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var declared = egresses.Count == 0 ? "none" : string.Join(", ", egresses.Keys);
        foreach (var ingress in module.Ingresses)
        {
            var forwarded = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < ingress.Topics.Count; i++)
            {
                var topic = ingress.Topics[i];
                if (topic.Egress is null || !TypeName.TryParse(topic.Egress, out _, out _))
                {
                    continue;
                }

                var field = string.Create(CultureInfo.InvariantCulture, $"{IngressOwner(ingress)}: topics[{i}].egress");
                if (!egresses.TryGetValue(topic.Egress, out var egress))
                {
                    yield return $"{field}: '{topic.Egress}' is not an egress of this module; declared egresses: {declared}";
                    continue;
                }

                forwarded.Add(topic.Egress);
                if (egress.Address == ingress.Address && (topic.EgressTopic ?? topic.Topic) == topic.Topic)
                {
                    yield return $"{field}: forwarding '{topic.Topic}' to itself on the same cluster would loop; set egressTopic";
                }
            }

            if (forwarded.Count > 1)
            {
                yield return $"{IngressOwner(ingress)}: topics: forwards to {forwarded.Count} egresses ({string.Join(", ", forwarded)}); one ingress forwards to one egress (its records and offsets commit together)";
            }
        }
    }

    /// <summary>Every function target resolves to an endpoint; checked only when the module declares endpoints.</summary>
    private static IEnumerable<string> TargetProblems(ModuleDefinition module)
    {
        if (module.Endpoints.Count == 0)
        {
            yield break;
        }

        foreach (var ingress in module.Ingresses)
        {
            for (var i = 0; i < ingress.Topics.Count; i++)
            {
                var targets = ingress.Topics[i].Targets ?? [];
                for (var j = 0; j < targets.Count; j++)
                {
                    if (targets[j] is { } target && TypeName.TryParse(target, out _, out _)
                        && FunctionTypePattern.Resolve(module.Endpoints, e => e.Functions, target) is null)
                    {
                        yield return string.Create(
                            CultureInfo.InvariantCulture,
                            $"{IngressOwner(ingress)}: topics[{i}].targets[{j}]: no endpoint serves '{target}'; declared endpoints serve {string.Join(", ", module.Endpoints.Select(e => e.Functions))}");
                    }
                }
            }
        }
    }
}
