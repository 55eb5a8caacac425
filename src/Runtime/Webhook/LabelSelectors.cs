using k8s.Models;

namespace Portcullis.Runtime.Webhook;

/// <summary>metav1.LabelSelector semantics: matchLabels and matchExpressions (In, NotIn, Exists, DoesNotExist), all ANDed.</summary>
public static class LabelSelectors
{
    public static bool Matches(V1LabelSelector? selector, IDictionary<string, string>? labels)
    {
        if (selector is null)
            return true;
        labels ??= new Dictionary<string, string>();
        foreach (var (key, value) in selector.MatchLabels ?? new Dictionary<string, string>())
        {
            if (!labels.TryGetValue(key, out var actual) || actual != value)
                return false;
        }
        foreach (var e in selector.MatchExpressions ?? [])
        {
            var has = labels.TryGetValue(e.Key, out var actual);
            var values = e.Values ?? [];
            var ok = e.OperatorProperty switch
            {
                "In" => has && values.Contains(actual!),
                "NotIn" => !has || !values.Contains(actual!),
                "Exists" => has,
                "DoesNotExist" => !has,
                _ => false,
            };
            if (!ok)
                return false;
        }
        return true;
    }
}
