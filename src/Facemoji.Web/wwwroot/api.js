// The API reference: renders the server's own /openapi.json with plain DOM calls (no framework, nothing fetched
// from elsewhere), so the page works offline and under the server's Content-Security-Policy.
'use strict';

(async () => {
  const status = document.getElementById('status');
  let doc;
  try {
    const answer = await fetch('openapi.json');
    if (!answer.ok) throw new Error(`HTTP ${answer.status}`);
    doc = await answer.json();
  } catch (e) {
    status.textContent = `Could not read /openapi.json: ${e.message}`;
    return;
  }

  const el = (tag, props = {}, ...children) => {
    const node = document.createElement(tag);
    Object.assign(node, props);
    for (const child of children) node.append(child ?? '');
    return node;
  };
  const resolve = (schema) => {
    let seen = 0;
    while (schema && schema.$ref && seen++ < 20) {
      schema = schema.$ref.replace(/^#\//, '').split('/').reduce((node, part) => node?.[part], doc);
    }
    return schema ?? {};
  };
  const refName = (schema) => schema?.$ref ? schema.$ref.split('/').pop() : null;
  const typeOf = (schema) => {
    if (!schema) return '';
    if (schema.$ref) return refName(schema);
    const types = [].concat(schema.type ?? []).filter((t) => t !== 'null');
    const nullable = [].concat(schema.type ?? []).includes('null');
    let text = types.join(' | ') || (schema.oneOf || schema.anyOf ? (schema.oneOf || schema.anyOf).map(typeOf).filter(Boolean).join(' | ') : 'any');
    if (types.includes('array')) text = `array of ${typeOf(schema.items)}`;
    else if (types.includes('object') && schema.additionalProperties) text = `map of ${typeOf(schema.additionalProperties)}`;
    if (schema.format) text += ` (${schema.format})`;
    if (schema.enum) text += `: ${schema.enum.join(', ')}`;
    return nullable ? `${text}, or null` : text;
  };
  const schemaLink = (schema) => {
    const target = refName(schema) ?? refName(schema?.items);
    const code = el('code', {}, typeOf(schema));
    return target ? el('a', { href: `#schema-${target}` }, code) : code;
  };
  const contentTable = (content) => {
    const table = el('table', {}, el('tr', {}, el('th', {}, 'content type'), el('th', {}, 'schema')));
    for (const [type, media] of Object.entries(content ?? {})) {
      table.append(el('tr', {}, el('td', {}, el('code', {}, type)), el('td', {}, media.schema ? schemaLink(media.schema) : '')));
    }
    return table;
  };

  document.getElementById('title').textContent = doc.info?.title ?? 'API';
  document.getElementById('version').textContent = `${doc.info?.version ?? ''} · OpenAPI ${doc.openapi}`;
  document.getElementById('description').textContent = doc.info?.description ?? '';
  const operations = document.getElementById('operations');
  const toc = document.getElementById('toc');
  status.remove();
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'delete', 'patch', 'head', 'options'].includes(method)) continue;
      const id = `op-${method}-${path.replace(/[^a-z0-9]+/gi, '-')}`;
      toc.append(el('a', { href: `#${id}` }, `${method.toUpperCase()} ${path}`));
      const box = el('article', { className: 'operation', id });
      box.append(el('h2', {}, el('span', { className: `method ${method}` }, method.toUpperCase()), path));
      if (op.summary) box.append(el('p', {}, op.summary));
      if (op.description) box.append(el('p', {}, op.description));
      const parameters = [...(item.parameters ?? []), ...(op.parameters ?? [])].map(resolve);
      if (parameters.length) {
        const table = el('table', {}, el('tr', {}, el('th', {}, 'parameter'), el('th', {}, 'in'), el('th', {}, 'type'), el('th', {}, 'description')));
        for (const p of parameters) {
          table.append(el('tr', {}, el('td', {}, el('code', {}, p.name), p.required ? ' (required)' : ''), el('td', {}, p.in), el('td', {}, schemaLink(p.schema)), el('td', {}, p.description ?? '')));
        }
        box.append(el('h3', {}, 'Parameters'), table);
      }
      if (op.requestBody) {
        const body = resolve(op.requestBody);
        box.append(el('h3', {}, `Request body${body.required ? ' (required)' : ''}`));
        if (body.description) box.append(el('p', {}, body.description));
        box.append(contentTable(body.content));
      }
      const responses = el('table', {}, el('tr', {}, el('th', {}, 'status'), el('th', {}, 'description'), el('th', {}, 'content')));
      for (const [code, raw] of Object.entries(op.responses ?? {})) {
        const response = resolve(raw);
        const content = el('td');
        for (const [type, media] of Object.entries(response.content ?? {})) {
          content.append(el('div', {}, el('code', {}, type), media.schema ? ' ' : '', media.schema ? schemaLink(media.schema) : ''));
        }
        responses.append(el('tr', { className: 'response' }, el('td', {}, code), el('td', {}, response.description ?? ''), content));
      }
      box.append(el('h3', {}, 'Responses'), responses);
      operations.append(box);
    }
  }

  const schemas = document.getElementById('schemas');
  const all = Object.entries(doc.components?.schemas ?? {});
  if (all.length) schemas.append(el('h2', {}, 'Schemas'));
  for (const [name, schema] of all) {
    const box = el('div', { className: 'schema', id: `schema-${name}` }, el('h3', {}, name));
    if (schema.description) box.append(el('p', {}, schema.description));
    const required = new Set(schema.required ?? []);
    const table = el('table', {}, el('tr', {}, el('th', {}, 'property'), el('th', {}, 'type'), el('th', {}, 'description')));
    for (const [prop, propSchema] of Object.entries(schema.properties ?? {})) {
      table.append(el('tr', {}, el('td', {}, el('code', {}, prop), required.has(prop) ? ' (required)' : ''), el('td', {}, schemaLink(propSchema)), el('td', {}, propSchema.description ?? '')));
    }
    box.append(table);
    schemas.append(box);
  }
  document.body.dataset.rendered = 'true';
})();
