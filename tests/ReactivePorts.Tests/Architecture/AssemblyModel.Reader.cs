using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace ReactivePorts.Tests.Layering;

internal sealed partial class AssemblyModel
{
    /// <summary>One pass over the metadata: place the types, then collect their uses.</summary>
    private sealed class Reader(PEReader pe, MetadataReader pdb, string sourceDirectory, string sourceFolder)
    {
        private readonly MetadataReader _md = pe.GetMetadataReader();
        private readonly Dictionary<DocumentHandle, string?> _documents = [];
        private readonly Dictionary<TypeDefinitionHandle, PlacedType> _placed = [];
        private readonly HashSet<TypeUse> _uses = [];
        private readonly TypeCollector _found = new();
        private readonly string _marker = "/" + sourceFolder.Trim('/') + "/";
        private string _assemblyName = "";

        public AssemblyModel Read()
        {
            _assemblyName = _md.GetString(_md.GetAssemblyDefinition().Name);
            var filesOf = new Dictionary<TypeDefinitionHandle, SortedSet<string>>();
            foreach (var method in _md.MethodDefinitions)
            {
                var outer = Outermost(_md.GetMethodDefinition(method).GetDeclaringType());
                foreach (var (_, file) in SequencePoints(method))
                    if (file is not null) (filesOf.TryGetValue(outer, out var set) ? set : filesOf[outer] = []).Add(file);
            }
            Dictionary<string, List<string>>? declared = null;
            var unplaced = new List<string>();
            foreach (var handle in _md.TypeDefinitions)
            {
                var type = _md.GetTypeDefinition(handle);
                if (!type.GetDeclaringType().IsNil) continue;
                string fullName = FullName(_md.GetString(type.Namespace), _md.GetString(type.Name));
                if (!filesOf.TryGetValue(handle, out var files) || files.Count == 0)
                {
                    if (IsCompilerGenerated(type)) continue; // <Module>, <PrivateImplementationDetails>, embedded attributes
                    declared ??= ScanDeclarations(sourceDirectory);
                    files = new SortedSet<string>(declared.GetValueOrDefault(DisplayNameWithNamespace(type)) ?? []);
                    if (files.Count == 0) { unplaced.Add(fullName); continue; }
                }
                _placed[handle] = new PlacedType(fullName, DisplayName(_md.GetString(type.Name)), [.. files]);
            }
            foreach (var handle in _md.TypeDefinitions)
                if (_placed.TryGetValue(Outermost(handle), out var place)) CollectUses(handle, place);
            return new AssemblyModel
            {
                AssemblyName = _assemblyName,
                Types = _placed.Values.ToDictionary(t => t.FullName),
                Uses = [.. _uses],
                NativeMethods = NativeMethods(),
                Unplaced = unplaced,
            };
        }

        private string DisplayNameWithNamespace(TypeDefinition type) =>
            FullName(_md.GetString(type.Namespace), DisplayName(_md.GetString(type.Name)));

        private static string FullName(string ns, string name) => ns.Length == 0 ? name : ns + "." + name;

        private TypeDefinitionHandle Outermost(TypeDefinitionHandle handle)
        {
            for (var outer = _md.GetTypeDefinition(handle).GetDeclaringType(); !outer.IsNil; outer = _md.GetTypeDefinition(handle).GetDeclaringType())
                handle = outer;
            return handle;
        }

        private bool IsCompilerGenerated(TypeDefinition type) =>
            _md.GetString(type.Name).StartsWith('<') || type.GetCustomAttributes().Any(a => AttributeName(a) is
                "System.Runtime.CompilerServices.CompilerGeneratedAttribute" or "Microsoft.CodeAnalysis.EmbeddedAttribute");

        private string AttributeName(CustomAttributeHandle handle)
        {
            var ctor = _md.GetCustomAttribute(handle).Constructor;
            EntityHandle type = ctor.Kind == HandleKind.MethodDefinition
                ? _md.GetMethodDefinition((MethodDefinitionHandle)ctor).GetDeclaringType()
                : _md.GetMemberReference((MemberReferenceHandle)ctor).Parent;
            return type.Kind switch
            {
                HandleKind.TypeReference => _md.GetTypeReference((TypeReferenceHandle)type) is var r ? FullName(_md.GetString(r.Namespace), _md.GetString(r.Name)) : "",
                HandleKind.TypeDefinition => _md.GetTypeDefinition((TypeDefinitionHandle)type) is var d ? FullName(_md.GetString(d.Namespace), _md.GetString(d.Name)) : "",
                _ => "",
            };
        }

        /// <summary>IL offset and source file (null: not one of ours, e.g. generated) of each sequence point.</summary>
        private List<(int Offset, string? File)> SequencePoints(MethodDefinitionHandle method)
        {
            var points = new List<(int, string?)>();
            foreach (var point in pdb.GetMethodDebugInformation(method.ToDebugInformationHandle()).GetSequencePoints())
                points.Add((point.Offset, Relative(point.Document)));
            return points;
        }

        private string? Relative(DocumentHandle document)
        {
            if (_documents.TryGetValue(document, out var relative)) return relative;
            string name = pdb.GetString(pdb.GetDocument(document).Name).Replace('\\', '/');
            int at = name.LastIndexOf(_marker, StringComparison.Ordinal);
            relative = at < 0 ? null : name[(at + _marker.Length)..];
            if (relative is not null && (relative.StartsWith("obj/", StringComparison.Ordinal) || relative.StartsWith("bin/", StringComparison.Ordinal)))
                relative = null;
            return _documents[document] = relative;
        }

        private void CollectUses(TypeDefinitionHandle handle, PlacedType place)
        {
            var type = _md.GetTypeDefinition(handle);
            var user = Outermost(handle);
            // Declarations outside method bodies: attributed to the first file of this type's own methods, else the primary file.
            string declarationFile = type.GetMethods().SelectMany(m => SequencePoints(m)).Select(p => p.File).FirstOrDefault(f => f is not null) ?? place.Primary;
            AddType(type.BaseType);
            foreach (var i in type.GetInterfaceImplementations()) AddType(_md.GetInterfaceImplementation(i).Interface);
            AddGenericParameters(type.GetGenericParameters());
            AddAttributes(type.GetCustomAttributes());
            foreach (var f in type.GetFields())
            {
                var field = _md.GetFieldDefinition(f);
                field.DecodeSignature(_found, null);
                AddAttributes(field.GetCustomAttributes());
            }
            foreach (var p in type.GetProperties()) _md.GetPropertyDefinition(p).DecodeSignature(_found, null);
            foreach (var e in type.GetEvents()) AddType(_md.GetEventDefinition(e).Type);
            Flush(declarationFile, user);
            foreach (var m in type.GetMethods()) CollectMethodUses(m, user, declarationFile);
        }

        private void CollectMethodUses(MethodDefinitionHandle handle, TypeDefinitionHandle user, string typeFile)
        {
            var method = _md.GetMethodDefinition(handle);
            var points = SequencePoints(handle);
            string methodFile = points.Select(p => p.File).FirstOrDefault(f => f is not null) ?? typeFile;
            method.DecodeSignature(_found, null);
            AddAttributes(method.GetCustomAttributes());
            foreach (var p in method.GetParameters()) AddAttributes(_md.GetParameter(p).GetCustomAttributes());
            AddGenericParameters(method.GetGenericParameters());
            if (method.RelativeVirtualAddress == 0) { Flush(methodFile, user); return; }
            var body = pe.GetMethodBody(method.RelativeVirtualAddress);
            if (!body.LocalSignature.IsNil) _md.GetStandaloneSignature(body.LocalSignature).DecodeLocalSignature(_found, null);
            foreach (var region in body.ExceptionRegions) AddType(region.CatchType);
            Flush(methodFile, user);
            var il = body.GetILReader();
            while (il.RemainingBytes > 0)
            {
                int offset = il.Offset;
                int token = NextToken(ref il);
                if (token == 0) continue;
                AddToken(token);
                Flush(FileAt(points, offset) ?? methodFile, user);
            }
        }

        private static string? FileAt(List<(int Offset, string? File)> points, int offset)
        {
            string? file = null;
            foreach (var point in points)
            {
                if (point.Offset > offset) break;
                file = point.File;
            }
            return file;
        }

        /// <summary>Reads one instruction; returns its metadata token, or 0 when it has none.</summary>
        private static int NextToken(ref BlobReader il)
        {
            int code = il.ReadByte();
            if (code == 0xFE) code = 0xFE00 | il.ReadByte();
            switch (code)
            {
                case 0x27 or 0x28 or 0x29 or 0x6F or 0x70 or 0x71 or 0x72 or 0x73 or 0x74 or 0x75 or 0x79
                    or >= 0x7B and <= 0x81 or 0x8C or 0x8D or 0x8F or 0xA3 or 0xA4 or 0xA5 or 0xC2 or 0xC6 or 0xD0
                    or 0xFE06 or 0xFE07 or 0xFE15 or 0xFE16 or 0xFE1C:
                    return il.ReadInt32();
                case 0x45: // switch: count, then one 4-byte target each
                    int targets = il.ReadInt32();
                    il.Offset += 4 * targets;
                    return 0;
                case >= 0x0E and <= 0x13 or 0x1F or >= 0x2B and <= 0x37 or 0xDE or 0xFE12 or 0xFE19:
                    il.Offset += 1; return 0;
                case >= 0xFE09 and <= 0xFE0E:
                    il.Offset += 2; return 0;
                case 0x20 or 0x22 or >= 0x38 and <= 0x44 or 0xDD:
                    il.Offset += 4; return 0;
                case 0x21 or 0x23:
                    il.Offset += 8; return 0;
                default:
                    return 0;
            }
        }

        private void AddToken(int token)
        {
            if ((token >>> 24) == 0x70) return; // ldstr
            AddMember(MetadataTokens.EntityHandle(token));
        }

        private void AddMember(EntityHandle handle)
        {
            switch (handle.Kind)
            {
                case HandleKind.TypeDefinition or HandleKind.TypeReference or HandleKind.TypeSpecification:
                    AddType(handle); break;
                case HandleKind.MethodDefinition:
                    _found.Add(_md.GetMethodDefinition((MethodDefinitionHandle)handle).GetDeclaringType()); break;
                case HandleKind.FieldDefinition:
                    _found.Add(_md.GetFieldDefinition((FieldDefinitionHandle)handle).GetDeclaringType()); break;
                case HandleKind.MemberReference:
                    var member = _md.GetMemberReference((MemberReferenceHandle)handle);
                    if (member.Parent.Kind is not HandleKind.ModuleReference) AddMember(member.Parent);
                    if (member.GetKind() == MemberReferenceKind.Method) member.DecodeMethodSignature(_found, null);
                    else member.DecodeFieldSignature(_found, null);
                    break;
                case HandleKind.MethodSpecification:
                    var spec = _md.GetMethodSpecification((MethodSpecificationHandle)handle);
                    AddMember(spec.Method);
                    spec.DecodeSignature(_found, null);
                    break;
                case HandleKind.StandaloneSignature: // calli
                    _md.GetStandaloneSignature((StandaloneSignatureHandle)handle).DecodeMethodSignature(_found, null); break;
            }
        }

        private void AddType(EntityHandle handle)
        {
            if (handle.IsNil) return;
            if (handle.Kind == HandleKind.TypeSpecification)
                _md.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(_found, null);
            else _found.Add(handle);
        }

        private void AddGenericParameters(GenericParameterHandleCollection parameters)
        {
            foreach (var p in parameters)
                foreach (var c in _md.GetGenericParameter(p).GetConstraints()) AddType(_md.GetGenericParameterConstraint(c).Type);
        }

        private void AddAttributes(CustomAttributeHandleCollection attributes)
        {
            foreach (var a in attributes) AddMember(_md.GetCustomAttribute(a).Constructor);
        }

        /// <summary>Records what was found since the last flush as uses in <paramref name="file"/> by <paramref name="user"/>.</summary>
        private void Flush(string file, TypeDefinitionHandle user)
        {
            string userName = _placed[user].FullName;
            foreach (var handle in _found.Types)
                if (Resolve(handle) is var (assembly, target) && target != userName) _uses.Add(new TypeUse(file, userName, target, assembly));
            _found.Types.Clear();
        }

        /// <summary>(assembly, full name of the outermost type); null for compiler-generated or unplaced types of ours.</summary>
        private (string, string)? Resolve(EntityHandle handle)
        {
            if (handle.Kind == HandleKind.TypeDefinition)
                return _placed.TryGetValue(Outermost((TypeDefinitionHandle)handle), out var place) ? (_assemblyName, place.FullName) : null;
            var reference = _md.GetTypeReference((TypeReferenceHandle)handle);
            while (reference.ResolutionScope.Kind == HandleKind.TypeReference)
                reference = _md.GetTypeReference((TypeReferenceHandle)reference.ResolutionScope);
            string name = FullName(_md.GetString(reference.Namespace), _md.GetString(reference.Name));
            return reference.ResolutionScope.Kind == HandleKind.AssemblyReference
                ? (_md.GetString(_md.GetAssemblyReference((AssemblyReferenceHandle)reference.ResolutionScope).Name), name)
                : _placed.Values.Any(p => p.FullName == name) ? (_assemblyName, name) : null;
        }

        private List<NativeMethod> NativeMethods()
        {
            var found = new List<NativeMethod>();
            foreach (var handle in _md.MethodDefinitions)
            {
                var method = _md.GetMethodDefinition(handle);
                if ((method.Attributes & MethodAttributes.PinvokeImpl) == 0
                    && !method.GetCustomAttributes().Any(a => AttributeName(a) == "System.Runtime.InteropServices.LibraryImportAttribute")) continue;
                var outer = Outermost(method.GetDeclaringType());
                var type = _md.GetTypeDefinition(outer);
                found.Add(new NativeMethod(FullName(_md.GetString(type.Namespace), _md.GetString(type.Name)), _md.GetString(method.Name),
                    _placed.TryGetValue(outer, out var place) ? place.Files : []));
            }
            return found;
        }
    }

    /// <summary>Decodes signatures only to note the type definitions and references they name.</summary>
    private sealed class TypeCollector : ISignatureTypeProvider<int, object?>
    {
        public List<EntityHandle> Types { get; } = [];
        public void Add(EntityHandle handle) => Types.Add(handle);
        public int GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) { Types.Add(handle); return 0; }
        public int GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) { Types.Add(handle); return 0; }
        public int GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
            reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);
        public int GetPrimitiveType(PrimitiveTypeCode typeCode) => 0;
        public int GetSZArrayType(int elementType) => 0;
        public int GetArrayType(int elementType, ArrayShape shape) => 0;
        public int GetByReferenceType(int elementType) => 0;
        public int GetPointerType(int elementType) => 0;
        public int GetPinnedType(int elementType) => 0;
        public int GetGenericInstantiation(int genericType, ImmutableArray<int> typeArguments) => 0;
        public int GetGenericMethodParameter(object? genericContext, int index) => 0;
        public int GetGenericTypeParameter(object? genericContext, int index) => 0;
        public int GetFunctionPointerType(MethodSignature<int> signature) => 0;
        public int GetModifiedType(int modifier, int unmodifiedType, bool isRequired) => 0;
    }
}
