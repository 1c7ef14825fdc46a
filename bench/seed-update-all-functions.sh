# The "Update all functions using this layer" step of the seed article's workflow, exactly as printed
# (its `run: |` block, without the YAML indentation). The runner substitutes the ${{ … }} expression
# before running it with `bash -e`; bench/rollout.mjs does the same.
NEW_LAYER_ARN="${{ steps.publish.outputs.layer_version_arn }}"

# Find all functions tagged with this layer
FUNCTIONS=$(aws lambda list-functions \
  --query "Functions[?contains(Layers[].Arn, 'data-science-layer')].FunctionName" \
  --output text 2>/dev/null || echo "")

if [ -z "${FUNCTIONS}" ]; then
  echo "No functions currently using this layer (first publish or none tagged)"
  exit 0
fi

for FUNCTION in ${FUNCTIONS}; do
  echo "Updating ${FUNCTION} to use ${NEW_LAYER_ARN}..."

  # Get current layers for this function, replace the old data-science layer
  CURRENT_LAYERS=$(aws lambda get-function-configuration \
    --function-name "${FUNCTION}" \
    --query "Layers[].Arn" \
    --output json)

  # Build new layers list with updated data-science layer ARN
  UPDATED_LAYERS=$(echo "${CURRENT_LAYERS}" | python3 -c "
    import sys, json
    layers = json.load(sys.stdin)
    new_layer = '${NEW_LAYER_ARN}'
    updated = [new_layer if 'data-science-layer' in l else l for l in layers]
    print(' '.join(updated))
  ")

  aws lambda update-function-configuration \
    --function-name "${FUNCTION}" \
    --layers ${UPDATED_LAYERS}

  echo "  -> ${FUNCTION} updated"
done
