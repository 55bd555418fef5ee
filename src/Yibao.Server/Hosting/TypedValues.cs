using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using Microsoft.AspNetCore.Mvc;
using Yibao.Domain.Errors;
using Yibao.Domain.Identity;
using Yibao.Domain.Policy;
using Yibao.Domain.Regions;
using Yibao.Domain.Time;

namespace Yibao.Server.Hosting;

/// <summary>Where the <c>{region}</c> of an endpoint must be known.</summary>
public enum RegionScope
{
    /// <summary>In this database's <c>region</c> table: every region-scoped read and write (the default).</summary>
    Database,
    /// <summary>Among the policy packs (<see cref="PolicyBook.Has"/>): the policy endpoints, which need no data.</summary>
    PolicyPack,
}

/// <summary>Endpoint metadata: the scope a <c>{region}</c> route value is checked against (<see cref="TypedValues"/>).</summary>
public sealed record RegionScopeMetadata(RegionScope Scope);

/// <summary>
/// Route and query values that a handler takes as a domain type are checked here, once, after
/// routing and before the framework binds them: a handler parameter <c>RegionCode region</c>,
/// <c>IdNumber idNumber</c>, <c>YearMonth month</c>, <c>DateOnly date</c>, <c>PageNumber page</c>,
/// <c>PageSize pageSize</c> or a numeric id (<c>long bindingId</c>) gets a value that parses (the
/// input errors of a request all come before its 404s), and a bad one is answered with our code
/// (<c>invalid-region-code</c>, <c>invalid-id-number</c>, <c>invalid-month</c>, <c>invalid-date</c>,
/// <c>invalid-field</c>) and zh/en messages, never the framework's "Failed to bind parameter…". A
/// <c>{region}</c> route value must then be known (<see cref="RegionScope"/>): else 404
/// <c>unknown-region</c>, before the handler runs or anything is written.
/// <para>To use it on a new endpoint, declare the parameter with the domain type; nothing else.
/// A policy endpoint adds <c>.RegionKnownBy(RegionScope.PolicyPack)</c>.</para>
/// </summary>
public sealed class TypedValues(RequestDelegate next, KnownRegions regions, PolicyBook book)
{
    private readonly ConcurrentDictionary<Endpoint, Plan> _plans = new();

    public async Task InvokeAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (http.GetEndpoint() is RouteEndpoint endpoint)
        {
            var plan = _plans.GetOrAdd(endpoint, static e => Plan.For((RouteEndpoint)e));
            if (plan.Values.Length > 0) await CheckAsync(http, plan).ConfigureAwait(false);
        }
        await next(http).ConfigureAwait(false);
    }

    private async Task CheckAsync(HttpContext http, Plan plan)
    {
        var known = new List<RegionCode>(1);
        foreach (var value in plan.Values)
        {
            var text = value.FromRoute ? http.GetRouteValue(value.Name) as string : (string?)http.Request.Query[value.Name];
            if (string.IsNullOrEmpty(text))
            {
                if (value.Required) throw new YibaoException(ErrorCatalog.MissingField(value.Name));
                continue;
            }
            if (Parse(value, text) is { } region && value.FromRoute) known.Add(region);
        }
        foreach (var region in known)
        {
            var found = plan.Scope == RegionScope.PolicyPack
                ? book.Has(region)
                : await regions.ContainsAsync(region, http.RequestAborted).ConfigureAwait(false);
            if (!found) throw new YibaoException(ErrorCatalog.UnknownRegion(region.Value));
        }
    }

    /// <summary>Parses one value the way its type says, or throws the type's error; a region code is returned for the existence check.</summary>
    private static RegionCode? Parse(Value value, string text)
    {
        if (Checks[value.Type](text, value.Name) is { } error) throw new YibaoException(error);
        return value.Type == typeof(RegionCode) ? RegionCode.Parse(text) : null;
    }

    /// <summary>
    /// The types checked here and the error of a bad value (null: it parses). A new route or query
    /// type is one line here; its parse must agree with the framework's (the type's TryParse).
    /// </summary>
    private static readonly Dictionary<Type, Func<string, string, Refusal?>> Checks = new()
    {
        [typeof(RegionCode)] = (text, field) => RegionCode.TryParse(text, out _) ? null : ErrorCatalog.InvalidRegionCode(text).With("field", field),
        [typeof(IdNumber)] = (text, field) => IdNumber.TryParse(text, out _, out var error) ? null : error.With("field", field),
        [typeof(YearMonth)] = (text, field) => YearMonth.TryParse(text, out _) ? null : ErrorCatalog.InvalidMonth(text).With("field", field),
        [typeof(DateOnly)] = (text, field) => Dates.TryParse(text, out _) ? null : ErrorCatalog.InvalidDate(text).With("field", field),
        [typeof(PageNumber)] = (text, _) => PageNumber.Check(text),
        [typeof(PageSize)] = (text, _) => PageSize.Check(text),
        // A numeric id: digits only, more than zero (no sign, no spaces, no 1e3).
        [typeof(long)] = (text, field) => long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var l) && l > 0 ? null : ErrorCatalog.NotAnId(field, text),
        [typeof(int)] = (text, field) => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i > 0 ? null : ErrorCatalog.NotAnId(field, text),
    };

    private sealed record Value(string Name, Type Type, bool FromRoute, bool Required);

    private sealed record Plan(Value[] Values, RegionScope Scope)
    {
        /// <summary>The handler's parameters of a checked type that come from the route or the query string.</summary>
        public static Plan For(RouteEndpoint endpoint)
        {
            var scope = endpoint.Metadata.GetMetadata<RegionScopeMetadata>()?.Scope ?? RegionScope.Database;
            if (endpoint.Metadata.GetMetadata<MethodInfo>() is not { } method) return new Plan([], scope);
            var routeNames = endpoint.RoutePattern.Parameters.Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var values = new List<Value>();
            foreach (var p in method.GetParameters())
            {
                if (p.GetCustomAttribute<FromBodyAttribute>() is not null || p.GetCustomAttribute<FromServicesAttribute>() is not null ||
                    p.GetCustomAttribute<FromHeaderAttribute>() is not null || p.GetCustomAttribute<FromFormAttribute>() is not null) continue;
                var underlying = Nullable.GetUnderlyingType(p.ParameterType);
                var type = underlying ?? p.ParameterType;
                if (!Checks.ContainsKey(type)) continue;
                var routeName = p.GetCustomAttribute<FromRouteAttribute>()?.Name;
                var queryName = p.GetCustomAttribute<FromQueryAttribute>()?.Name;
                var name = routeName ?? queryName ?? p.Name!;
                var fromRoute = p.GetCustomAttribute<FromQueryAttribute>() is null && routeNames.Contains(name);
                values.Add(new Value(name, type, fromRoute, Required: underlying is null && !p.HasDefaultValue));
            }
            return new Plan([.. values], scope);
        }
    }
}

/// <summary>Endpoint conventions of the edge.</summary>
public static class TypedValuesConventions
{
    /// <summary>Where this endpoint's <c>{region}</c> must be known (default: the database's region table).</summary>
    public static TBuilder RegionKnownBy<TBuilder>(this TBuilder builder, RegionScope scope) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RegionScopeMetadata(scope));
}
