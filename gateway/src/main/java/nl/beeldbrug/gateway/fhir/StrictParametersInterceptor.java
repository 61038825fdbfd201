package nl.beeldbrug.gateway.fhir;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.annotation.IncludeParam;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.api.RequestTypeEnum;
import ca.uhn.fhir.rest.api.RestSearchParameterTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.DateParam;
import ca.uhn.fhir.rest.param.NumberParam;
import ca.uhn.fhir.rest.param.QuantityParam;
import ca.uhn.fhir.rest.server.ResourceBinding;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.method.BaseMethodBinding;
import ca.uhn.fhir.rest.server.method.IParameter;
import ca.uhn.fhir.rest.server.method.OperationMethodBinding;
import ca.uhn.fhir.rest.server.method.OperationParameter;
import ca.uhn.fhir.rest.server.method.RawParamsParameter;
import ca.uhn.fhir.rest.server.method.SearchMethodBinding;
import ca.uhn.fhir.rest.server.method.SearchParameter;
import ca.uhn.fhir.rest.server.method.SortParameter;

import org.hl7.fhir.instance.model.api.IBaseConformance;
import org.hl7.fhir.r4.model.CapabilityStatement;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Strict search input for every resource type of the server (HAPI alone ignores unknown parameters
 * starting with {@code _}, and any parameter of a read or an operation): a parameter the selected
 * interaction does not declare is a 400 OperationOutcome naming it; so are values that cannot be
 * what their parameter's type says (a date, a number, a quantity) and invalid {@code _count},
 * {@code _offset}, {@code _summary}, {@code _pretty} and {@code _format} values. The declared
 * parameters are read from the providers' own method bindings (the ones HAPI's CapabilityStatement
 * is generated from), so what is accepted and what is advertised cannot drift apart. Messages name
 * the parameter and never echo the value (it may be a BSN).
 */
@Interceptor
public final class StrictParametersInterceptor {

    /** Understood by every read, search and operation (HAPI handles them itself). */
    static final Set<String> ALWAYS = Set.of(Constants.PARAM_FORMAT, Constants.PARAM_PRETTY, Constants.PARAM_SUMMARY,
            Constants.PARAM_ELEMENTS);
    /** Understood by every search (HAPI pages any search answer by these). */
    static final Set<String> PAGING = Set.of(Constants.PARAM_COUNT, Constants.PARAM_OFFSET);
    private static final Set<String> SUMMARY_VALUES = Set.of("true", "false", "text", "data", "count");
    private static final Set<String> FORMAT_SHORT_NAMES = Set.of("json", "xml", "html");

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLER_SELECTED)
    public boolean check(RequestDetails request) {
        Map<String, SearchParameter> declared = declared(request);
        if (declared == null) {
            return true; // not a read, search or operation of a known resource type: HAPI answers
        }
        for (Map.Entry<String, String[]> parameter : request.getParameters().entrySet()) {
            String name = baseName(parameter.getKey());
            if (!declared.containsKey(name)) {
                throw new InvalidRequestException(name + ": unknown parameter for this interaction on "
                        + request.getResourceName() + "; supported: " + new TreeSet<>(declared.keySet()));
            }
            checkValues(name, declared.get(name), parameter.getValue(), request);
        }
        return true;
    }

    /**
     * The CapabilityStatement lists only what {@link #check} accepts: HAPI lists {@code _include=*} for
     * every searchable type and, as {@code _revinclude}, every reference parameter of every served type,
     * whether or not a search method declares them.
     */
    @Hook(Pointcut.SERVER_CAPABILITY_STATEMENT_GENERATED)
    public void listOnlyAccepted(IBaseConformance capabilities, RequestDetails request) {
        if (capabilities instanceof CapabilityStatement statement && request.getServer() instanceof RestfulServer server) {
            trimToAccepted(statement, server);
        }
    }

    /** Removes the _include and _revinclude values no search method of the type declares. */
    public static void trimToAccepted(CapabilityStatement capabilities, RestfulServer server) {
        for (CapabilityStatement.CapabilityStatementRestComponent rest : capabilities.getRest()) {
            for (CapabilityStatement.CapabilityStatementRestResourceComponent resource : rest.getResource()) {
                Set<String> includes = new TreeSet<>();
                Set<String> revIncludes = new TreeSet<>();
                server.getResourceBindings().stream().filter(b -> resource.getType().equals(b.getResourceName()))
                        .flatMap(b -> b.getMethodBindings().stream())
                        .filter(m -> m instanceof SearchMethodBinding s && s.getQueryName() == null)
                        .forEach(m -> {
                            for (java.lang.annotation.Annotation[] annotations : m.getMethod().getParameterAnnotations()) {
                                for (java.lang.annotation.Annotation a : annotations) {
                                    if (a instanceof IncludeParam include) {
                                        (include.reverse() ? revIncludes : includes).addAll(List.of(include.allow()));
                                    }
                                }
                            }
                        });
                resource.getSearchInclude().removeIf(v -> !includes.contains(v.getValue()));
                resource.getSearchRevInclude().removeIf(v -> !revIncludes.contains(v.getValue()));
            }
        }
    }

    /**
     * The parameters the interaction accepts (search parameters with their definition, special
     * parameters with null), or null when this interceptor has no opinion.
     */
    private static Map<String, SearchParameter> declared(RequestDetails request) {
        RequestTypeEnum method = request.getRequestType();
        String operation = request.getOperation();
        boolean postSearch = method == RequestTypeEnum.POST && Constants.PARAM_SEARCH.equals(operation);
        if (method != RequestTypeEnum.GET && !postSearch) {
            return null;
        }
        if (request.getResourceName() == null || request.getCompartmentName() != null
                || !(request.getServer() instanceof RestfulServer server)) {
            return null;
        }
        ResourceBinding binding = server.getResourceBindings().stream()
                .filter(b -> request.getResourceName().equals(b.getResourceName())).findFirst().orElse(null);
        if (binding == null) {
            return null; // an unknown resource type: HAPI's own error
        }
        Map<String, SearchParameter> declared = new HashMap<>();
        ALWAYS.forEach(p -> declared.put(p, null));
        boolean search = request.getId() == null && (operation == null || postSearch);
        if (request.getId() != null && operation == null) {
            return declared; // read / vread
        }
        for (BaseMethodBinding candidate : binding.getMethodBindings()) {
            if (search && candidate instanceof SearchMethodBinding s && s.getQueryName() == null) {
                PAGING.forEach(p -> declared.put(p, null));
                for (java.lang.annotation.Annotation[] annotations : s.getMethod().getParameterAnnotations()) {
                    for (java.lang.annotation.Annotation a : annotations) {
                        if (a instanceof IncludeParam include) {
                            String name = include.reverse() ? Constants.PARAM_REVINCLUDE : Constants.PARAM_INCLUDE;
                            declared.put(name, null);
                            allowedIncludes(request).computeIfAbsent(name, n -> new TreeSet<>()).addAll(List.of(include.allow()));
                        }
                    }
                }
                for (IParameter p : s.getParameters()) {
                    if (p instanceof RawParamsParameter) {
                        return null; // the method takes any parameter (@RawParam) and judges them itself
                    }
                    if (p instanceof SearchParameter sp) {
                        declared.put(sp.getName(), sp);
                    } else if (p instanceof SortParameter) {
                        declared.put(Constants.PARAM_SORT, null);
                    }
                }
            } else if (!search && operation != null && candidate instanceof OperationMethodBinding o
                    && operation.equals(o.getName())) {
                for (IParameter p : o.getParameters()) {
                    if (p instanceof OperationParameter op) {
                        declared.put(op.getName(), null);
                    }
                }
            }
        }
        if (!search && operation != null && declared.size() == ALWAYS.size()
                && binding.getMethodBindings().stream().noneMatch(m -> m instanceof OperationMethodBinding o
                && operation.equals(o.getName()))) {
            return null; // not an operation of this type (history, ...): HAPI answers
        }
        return declared;
    }

    /** {@code patient:identifier} and {@code patient.identifier} are the parameter {@code patient}. */
    static String baseName(String key) {
        int end = key.length();
        int colon = key.indexOf(':');
        if (colon >= 0) {
            end = colon;
        }
        int dot = key.indexOf('.');
        if (dot >= 0 && dot < end) {
            end = dot;
        }
        return key.substring(0, end);
    }

    private static final String ALLOWED_INCLUDES = StrictParametersInterceptor.class.getName() + ".includes";

    /** The declared _include/_revinclude values of the selected search, kept on the request while checking it. */
    @SuppressWarnings("unchecked")
    private static Map<String, Set<String>> allowedIncludes(RequestDetails request) {
        return (Map<String, Set<String>>) request.getUserData().computeIfAbsent(ALLOWED_INCLUDES, k -> new HashMap<>());
    }

    private static void checkValues(String name, SearchParameter definition, String[] values, RequestDetails request) {
        switch (name) {
            case Constants.PARAM_INCLUDE, Constants.PARAM_REVINCLUDE -> {
                Set<String> allowed = allowedIncludes(request).getOrDefault(name, Set.of());
                for (String value : values) {
                    if (!allowed.contains("*") && !allowed.contains(value)) {
                        throw new InvalidRequestException(name + ": supported are " + allowed);
                    }
                }
            }
            case Constants.PARAM_COUNT -> {
                int count = nonNegativeInteger(name, values);
                Integer max = request.getServer() instanceof RestfulServer server ? server.getMaximumPageSize() : null;
                if (max != null && count > max) {
                    throw new InvalidRequestException(name + ": at most " + max);
                }
            }
            case Constants.PARAM_OFFSET -> nonNegativeInteger(name, values);
            case Constants.PARAM_SUMMARY -> {
                single(name, values);
                if (!SUMMARY_VALUES.contains(values[0])) {
                    throw new InvalidRequestException(name + ": one of " + new TreeSet<>(SUMMARY_VALUES));
                }
            }
            case Constants.PARAM_PRETTY -> {
                single(name, values);
                if (!"true".equals(values[0]) && !"false".equals(values[0])) {
                    throw new InvalidRequestException(name + ": true or false");
                }
            }
            case Constants.PARAM_FORMAT -> {
                single(name, values);
                String format = values[0].trim();
                int semicolon = format.indexOf(';');
                String type = semicolon < 0 ? format : format.substring(0, semicolon).trim();
                if (!FORMAT_SHORT_NAMES.contains(type) && EncodingEnum.forContentType(type) == null
                        && !"text/html".equals(type)) {
                    throw new InvalidRequestException(name + ": not a supported format (json, xml)");
                }
            }
            default -> {
                if (definition != null) {
                    checkTyped(name, definition.getParamType(), values);
                }
            }
        }
    }

    /** Values of a date, number or quantity parameter must parse as one (each of an OR list). */
    private static void checkTyped(String name, RestSearchParameterTypeEnum type, String[] values) {
        if (type != RestSearchParameterTypeEnum.DATE && type != RestSearchParameterTypeEnum.NUMBER
                && type != RestSearchParameterTypeEnum.QUANTITY) {
            return;
        }
        for (String value : values) {
            for (String part : value.split(",", -1)) {
                if (part.isEmpty()) {
                    throw new InvalidRequestException(name + ": empty value");
                }
                if (type == RestSearchParameterTypeEnum.DATE && part.startsWith("ap")) {
                    throw new InvalidRequestException(name + ": the prefix ap (approximately) is not supported for dates;"
                            + " use a range (ge and le)");
                }
                try {
                    switch (type) {
                        case DATE -> {
                            DateParam date = new DateParam(part);
                            if (date.getValue() == null) {
                                throw new IllegalArgumentException("no date");
                            }
                        }
                        case NUMBER -> {
                            NumberParam number = new NumberParam();
                            number.setValueAsQueryToken(null, name, null, part);
                            if (number.getValue() == null) {
                                throw new IllegalArgumentException("no number");
                            }
                        }
                        default -> new QuantityParam(part);
                    }
                } catch (RuntimeException e) {
                    throw new InvalidRequestException(name + ": not a valid " + type.getCode()
                            + " (an optional prefix eq, ne, gt, lt, ge, le, sa, eb, ap and a value)");
                }
            }
        }
    }

    private static void single(String name, String[] values) {
        if (values.length != 1) {
            throw new InvalidRequestException(name + ": given more than once");
        }
    }

    private static int nonNegativeInteger(String name, String[] values) {
        single(name, values);
        try {
            int value = Integer.parseInt(values[0].trim());
            if (value < 0) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new InvalidRequestException(name + ": not a non-negative integer");
        }
    }
}
